"""From a plan's document to a proposed plan, by plain rules (nothing leaves the machine).

A plan published by a province (DOCX, or its text pasted) is read into paragraphs, and each
paragraph is placed by the document's own layout (Decree 30/2020: header, number, place and
date, title, legal bases, I. objectives and targets, II. solutions, III. funding, IV.
organisation, closing sentence, Nơi nhận, signature). Every proposed item keeps the sentence it
came from (``source``), a confidence (high, medium, low) and the reason; every paragraph that
was not used is listed under ``unmatched``. :func:`to_content` turns the reviewed proposal into
the content shape of :mod:`pcmd.plans.structure`.

Reading the document into paragraphs, and the checks of an uploaded file, are in
:mod:`pcmd.plans.proposal_read`.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.utils.translation import gettext as _

from .agency_match import AgencyMatcher, fold
from .proposal_read import Para

HIGH, MEDIUM, LOW = "high", "medium", "low"


# --- numbers and targets ------------------------------------------------------------------

_NUM = r"\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?"
_RANGE_WORDS = re.compile(rf"\btừ\s+({_NUM})\s+(?:đến|tới)\s+({_NUM})", re.I)
_RANGE_DASH = re.compile(rf"(?<![\d/])({_NUM})\s*[-–]\s*({_NUM})(?![\d/%])\s+(?=[^\W\d])")
_FRACTION = re.compile(r"(?<![\d/.,])(\d+)\s*/\s*(\d+)(?![\d/]|\s*[A-ZĐ])")
_PERCENT = re.compile(rf"({_NUM})\s*%")
_COUNT = re.compile(rf"(?<![\d/.,])({_NUM})\s+(?=[^\W\d])")
_UNIT_NOUNS = (
    "xã",
    "phường",
    "thị trấn",
    "huyện",
    "thôn",
    "buôn",
    "cơ sở",
    "đơn vị",
    "trường",
    "địa bàn",
    "khu dân cư",
    "tổ dân phố",
    "cơ quan",
)
_CASE_NOUNS = ("vụ", "đường dây", "ổ nhóm", "hồ sơ", "trường hợp", "tụ điểm")
_PEOPLE_NOUNS = (
    "cán bộ",
    "người",
    "đối tượng",
    "học sinh",
    "sinh viên",
    "phụ nữ",
    "hội viên",
    "đoàn viên",
    "nhân viên",
    "giáo viên",
    "thanh niên",
    "công chức",
    "gia đình",
    "hộ",
)
_COUNT_NOUNS = _UNIT_NOUNS + _CASE_NOUNS + _PEOPLE_NOUNS + ("lớp", "buổi", "cuộc", "đợt", "mô hình")
# a number right after these words names something ("Đội 178", "Nghị định số 178") or a year
_NAME_WORDS = ("ngành", "đội", "số", "năm", "định", "khoản", "điều", "giai đoạn", "quyết định")
_LABEL_END = re.compile(
    r"\s(?:trên|tại|được|lành mạnh|tổ chức|không|nhằm|để|theo|trong)\s|[(.;:]|$", re.I
)


def to_number(text: str) -> float:
    """ "1.500" → 1500, "94,6" → 94.6 (Vietnamese separators)."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", text):
        return float(text.replace(".", ""))
    return float(text.replace(",", "."))


def _num(value: float) -> int | float:
    return int(value) if value == int(value) else round(value, 2)


def _label(rest: str) -> str:
    """The noun phrase after a number: "cơ sở kinh doanh dịch vụ có điều kiện trên …" → its
    first words up to a preposition or a stop, without a leading "số"."""
    rest = rest.strip()
    m = _LABEL_END.search(rest)
    label = rest[: m.start()] if m else rest
    label = re.sub(r"^(?:số|các)\s+", "", label.strip(), flags=re.I)
    return " ".join(label.split()[:16]).strip(" ,")


def _starts_with(text: str, nouns: tuple[str, ...]) -> bool:
    low = re.sub(r"^(?:số|các|những)\s+", "", text.strip().lower())
    return any(low == n or low.startswith(n + " ") or low.startswith(n + ",") for n in nouns)


def _is_name_number(text: str, start: int) -> bool:
    before = text[:start].rstrip().lower()
    return any(before.endswith(w) for w in _NAME_WORDS)


def analyse_target(text: str) -> dict[str, Any]:
    """The kind and values of a target sentence, with the confidence and the reason."""
    out: dict[str, Any] = {
        "kind": "qualitative",
        "value": None,
        "value_min": None,
        "value_max": None,
        "denominator": None,
        "unit_label": "",
    }
    m = _RANGE_WORDS.search(text) or next(
        (
            r
            for r in _RANGE_DASH.finditer(text)
            if not all(re.fullmatch(r"(19|20)\d\d", g) for g in r.groups())
            and not _is_name_number(text, r.start())
        ),
        None,
    )
    if m:
        low, high = to_number(m.group(1)), to_number(m.group(2))
        if low <= high:
            out.update(
                kind="count_range",
                value_min=_num(low),
                value_max=_num(high),
                unit_label=_label(text[m.end() :]),
            )
            return out | _why(HIGH, _("a range: “%(s)s”") % {"s": m.group(0)})
    for m in _FRACTION.finditer(text):
        part, whole = int(m.group(1)), int(m.group(2))
        if 0 < part <= whole and not _is_name_number(text, m.start()):
            out.update(
                kind="count_units",
                value=part,
                denominator=whole,
                unit_label=_label(text[m.end() :]),
            )
            reason = _("a count of a total: “%(s)s”") % {"s": m.group(0)}
            pct = _PERCENT.search(text)
            if pct and abs(to_number(pct.group(1)) - 100 * part / whole) < 0.1:
                reason += " " + _("(the share %(p)s%% agrees)") % {"p": pct.group(1)}
            return out | _why(HIGH, reason)
    m = _PERCENT.search(text)
    if m:
        value = to_number(m.group(1))
        after = text[m.end() :]
        before = text[: m.start()]
        label = _label(after)
        for nouns, kind, what in (
            (_CASE_NOUNS, "percent_cases", _("cases")),
            (_PEOPLE_NOUNS, "percent_people", _("people")),
            (_UNIT_NOUNS, "percent_units", _("units")),
        ):
            if _starts_with(after, nouns):
                out.update(kind=kind, value=_num(value), unit_label=label)
                why = _("a percentage of %(what)s: “%(s)s”") % {
                    "what": what,
                    "s": f"{m.group(0)} {label}".strip(),
                }
                return out | _why(HIGH, why)
        # "tỷ lệ xã … đạt 70%": the noun comes before the number
        guess = "percent_units"
        for nouns, kind in (
            (_CASE_NOUNS, "percent_cases"),
            (_PEOPLE_NOUNS, "percent_people"),
        ):
            if any(re.search(rf"\b{n}\b", before.lower()) for n in nouns):
                guess = kind
                break
        out.update(kind=guess, value=_num(value), unit_label=label)
        return out | _why(
            MEDIUM, _("a percentage; what it counts is a guess: “%(s)s”") % {"s": m.group(0)}
        )
    for m in _COUNT.finditer(text):
        after = text[m.end() :]
        if _is_name_number(text, m.start()) or not _starts_with(after, _COUNT_NOUNS):
            continue
        out.update(kind="count_units", value=_num(to_number(m.group(1))), unit_label=_label(after))
        return out | _why(MEDIUM, _("a count: “%(s)s”") % {"s": f"{m.group(0)}{_label(after)}"})
    return out | _why(HIGH, _("no figure to count: a qualitative target"))


def _why(confidence: str, reason: str) -> dict[str, str]:
    return {"confidence": confidence, "reason": reason}


# --- the document's parts -----------------------------------------------------------------

_ROMAN = re.compile(r"^(I{1,3}|IV|V|VI{1,3}|IX|X)\s*[.:/]\s*(.+)$")
_ARABIC = re.compile(r"^(\d{1,2})\s*[.)]\s*(.*)$")
_LETTER = re.compile(r"^([a-zđ])\s*\)\s*(.+)$")
_NUMBER = re.compile(r"^S[ốo]\s*:?\s*([0-9]+\s*/\s*[0-9A-ZĐa-zđ][0-9A-ZĐa-zđ\-]*(?:/[\w\-]+)?)")
_DATE = re.compile(
    r"^(.{2,60}?),\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I | re.S
)
_SHORT_DATE = re.compile(r"ngày\s+(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})", re.I)
_DOC_KINDS = {
    "KẾ HOẠCH": "KH",
    "CHƯƠNG TRÌNH": "CTr",
    "QUYẾT ĐỊNH": "QĐ",
    "CHỈ THỊ": "CT",
    "ĐỀ ÁN": "ĐA",
}
_MOTTO = ("cong hoa xa hoi chu nghia viet nam", "doc lap tu do hanh phuc")
_LEGAL = re.compile(
    r"(Quyết định|Nghị quyết|Nghị định|Chỉ thị|Thông tư|Kế hoạch|Chương trình|Luật|Công văn)"
    r"\s+số\s+([0-9][\w/\-.]*)\s*,?\s*(?:ngày\s+(\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}|[0-9/]+))?"
    r"\s*(?:của\s+(.+?)\s+(phê duyệt|về|ban hành|quy định|hướng dẫn|triển khai)\s+)?(.*)",
    re.S,
)
_AUTHORITY = re.compile(r"^(KT|TM|TL|TUQ|Q)\s*\.\s*(.+)$")
_SIGNER_TITLES = ("CHỦ TỊCH", "PHÓ CHỦ TỊCH", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "CHÁNH VĂN PHÒNG")


def _item(value: Any, source: str, confidence: str, reason: str, **more: Any) -> dict[str, Any]:
    return {"value": value, "source": source, "confidence": confidence, "reason": reason, **more}


def _parse_date(text: str) -> datetime.date | None:
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text.strip()) or re.fullmatch(
        r"(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", text.strip()
    )
    if not m:
        return None
    try:
        return datetime.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def legal_bases(preamble: str) -> list[dict[str, Any]]:
    """ "Thực hiện Quyết định số 361/QĐ-TTg, ngày 07/3/2016 của Thủ tướng Chính phủ phê duyệt
    …; Quyết định số …" → one item per document cited."""
    out = []
    text = re.sub(r"^(Thực hiện|Căn cứ)\s+", "", preamble.strip())
    for clause in re.split(r";\s*(?:(?:căn cứ|thực hiện)\s+)?", text, flags=re.I):
        m = _LEGAL.search(clause)
        if not m:
            continue
        title = re.split(r",\s*(?:Ủy ban|UBND|Hội đồng)[^,]*\bban hành\b", m.group(6))[0]
        title = f"{m.group(5)} {title}".strip() if m.group(5) else title.strip()
        day = _parse_date(m.group(3) or "")
        value = {
            "number": m.group(2).rstrip(",."),
            "date": day.isoformat() if day else None,
            "issuer": (m.group(4) or "").strip(),
            "title": title.rstrip(" ,.;:"),
        }
        sure = HIGH if day and value["issuer"] else MEDIUM
        out.append(
            _item(
                value,
                clause.strip(),
                sure,
                _("%(kind)s cited with its number and date") % {"kind": m.group(1)},
            )
        )
    return out


class _Parser:
    def __init__(self, paras: list[Para], matcher: AgencyMatcher, provinces: list[Any]) -> None:
        self.paras = paras
        self.matcher = matcher
        self.provinces = provinces
        self.used: set[int] = set()
        self.notes: dict[int, str] = {}
        self.header: dict[str, Any] = {}
        self.out: dict[str, Any] = {
            "header": self.header,
            "legal_bases": [],
            "preamble": None,
            "objectives": [],
            "targets": [],
            "solution_areas": [],
            "funding": [],
            "tasks": [],
            "recipients": [],
            "closing": None,
        }

    def use(self, p: Para) -> None:
        self.used.add(p.index)

    # the whole document
    def run(self) -> dict[str, Any]:
        section = "header"
        sub = ""
        area: dict[str, Any] | None = None
        group: dict[str, Any] | None = None
        tail = False
        for p in self.paras:
            text = p.text
            if re.match(r"^Trên đây là\b", text):
                closing = re.sub(r"\s*\./\.\s*$", ".", text)
                closing = re.sub(r"\s*/\s*\d+\s*$", "", closing).strip()
                self.out["closing"] = _item(
                    closing, text, HIGH, _("the closing sentence (“Trên đây là …”)")
                )
                self.use(p)
                section, tail = "tail", True
                continue
            if re.match(r"^N[ơo]i nh[ậa]n\s*:?", text, re.I):
                self.use(p)
                section, tail = "recipients", True
                rest = re.sub(r"^N[ơo]i nh[ậa]n\s*:?\s*", "", text, flags=re.I)
                if rest:
                    self._recipient(p, rest)
                continue
            if section == "recipients" and (p.bullet or text.endswith(";")):
                self._recipient(p, text)
                continue
            if tail and self._signature(p):
                continue
            if tail:
                continue
            roman = _ROMAN.match(text) if not p.bullet else None
            if roman and section != "header" or roman and self._is_first_section(roman.group(2)):
                section = self._section_of(roman.group(2))
                sub, area, group = "", None, None
                self.use(p)
                continue
            if section == "header":
                self._header(p)
            elif section == "objectives":
                sub = self._objectives(p, sub)
            elif section == "solutions":
                area = self._solutions(p, area)
            elif section == "funding":
                self._funding(p)
            elif section == "organisation":
                group = self._organisation(p, group)
        self._finish_header()
        self.out["unmatched"] = [
            {"index": p.index, "text": p.text, "reason": self.notes.get(p.index, "")}
            for p in self.paras
            if p.index not in self.used
        ]
        return self.out

    def _is_first_section(self, title: str) -> bool:
        return bool(re.search(r"mục tiêu|mục đích|chỉ tiêu|yêu cầu|giải pháp", title, re.I))

    def _section_of(self, title: str) -> str:
        t = fold(title)
        if "kinh phi" in t:
            return "funding"
        if "to chuc thuc hien" in t or "trach nhiem" in t:
            return "organisation"
        if "giai phap" in t or "nhiem vu" in t:
            return "solutions"
        if "muc tieu" in t or "chi tieu" in t or "muc dich" in t:
            return "objectives"
        return "other"

    # header
    def _header(self, p: Para) -> None:
        text = p.text
        h = self.header
        if "number" not in h and (m := _NUMBER.match(text)):
            number = re.sub(r"\s+", "", m.group(1))
            h["number"] = _item(number, text, HIGH, _("the line “Số: …” of the header"))
            kind = number.split("/", 1)[1].split("-")[0] if "/" in number else ""
            if kind:
                h["kind"] = _item(kind, text, HIGH, _("the kind of document in its number"))
            self.use(p)
            return
        if "date" not in h and (m := _DATE.match(text)):
            try:
                day = datetime.date(int(m.group(4)), int(m.group(3)), int(m.group(2)))
            except ValueError:
                day = None
            if day is not None:
                h["date"] = _item(day.isoformat(), text, HIGH, _("the place and date line"))
                h["place"] = _item(m.group(1).strip(), text, HIGH, _("the place and date line"))
                self.use(p)
                return
        if fold(text).strip(" .") in {"ke hoach", "chuong trinh", "quyet dinh", "de an"} or (
            text.isupper() and text.strip(" .") in _DOC_KINDS
        ):
            h["_doc_kind"] = text.strip(" .").upper()
            h["_title_at"] = p.index
            self.use(p)
            return
        if h.get("_title_at") is not None and "title" not in h and not h.get("_title_done"):
            if p.index == h["_title_at"] + 1 and len(text) < 400:
                kind = h["_doc_kind"].capitalize()
                subject = text[:1].lower() + text[1:]
                h["title"] = _item(
                    f"{kind} {subject}".strip(),
                    f"{h['_doc_kind']} {text}",
                    HIGH,
                    _("the document's title under its kind"),
                )
                h["_title_done"] = True
                self.use(p)
                return
        folded = fold(text).replace("-", " ")
        folded = " ".join(re.findall(r"[a-z0-9]+", folded))
        if folded in _MOTTO:
            self.notes[p.index] = _("the national motto")
            return
        if re.match(r"^(Thực hiện|Căn cứ)\b", text) and self.out["preamble"] is None:
            self.out["preamble"] = _item(text, text, HIGH, _("the paragraph of legal bases"))
            self.out["legal_bases"] = legal_bases(text)
            self.use(p)
            if m := re.search(
                r"(Ủy ban nhân dân|UBND|Hội đồng nhân dân)\s+(tỉnh|thành phố)\s+ban hành", text
            ):
                h.setdefault(
                    "_issuer_from_preamble", _item(f"{m.group(1)} {m.group(2)}", text, MEDIUM, "")
                )
            return
        if text.isupper() and "number" not in h and len(text) < 120:
            previous = h.get("issuer_name")
            if previous is None:
                h["issuer_name"] = _item(text, text, HIGH, _("the issuing body above the number"))
            else:
                previous["value"] = f"{previous['value']} {text}"
                previous["source"] = previous["value"]
            self.use(p)
            return
        if re.search(r"\bĐẾN\b|Số\s*:\s*\.{2,}|Ngày\s*:\s*\.{2,}", text):
            self.notes[p.index] = _("a received stamp")

    def _finish_header(self) -> None:
        h = self.header
        found = h.pop("_issuer_from_preamble", None)
        province = self._province()
        if province is not None:
            h["province"] = province
        name = province["value"]["name"] if province else ""
        if "issuer_name" in h:
            value = h["issuer_name"]["value"]
            h["issuer_name"]["value"] = value[:1] + value[1:].lower() if value.isupper() else value
            if name and fold(name) in fold(value):
                h["issuer_name"]["value"] = re.sub(
                    re.escape(name), name, h["issuer_name"]["value"], flags=re.I
                )
        elif found is not None:
            found["value"] = f"{found['value']} {name}".strip()
            found["reason"] = _("the preamble names who issues the plan")
            h["issuer_name"] = found
        for key in ("_doc_kind", "_title_at", "_title_done"):
            h.pop(key, None)
        title = h.get("title", {}).get("value", "")
        if m := re.search(r"giai đoạn\s+(\d{4})\s*[-–]\s*(\d{4})", title, re.I):
            start, end, plan_type = int(m.group(1)), int(m.group(2)), "programme"
        elif m := re.search(r"năm\s+(\d{4})", title, re.I):
            start = end = int(m.group(1))
            plan_type = "yearly"
        else:
            return
        source = h["title"]["source"]
        why = _("the period in the title")
        h["period_start"] = _item(datetime.date(start, 1, 1).isoformat(), source, HIGH, why)
        h["period_end"] = _item(datetime.date(end, 12, 31).isoformat(), source, HIGH, why)
        h["plan_type"] = _item(plan_type, source, HIGH, why)

    def _province(self) -> dict[str, Any] | None:
        return find_province(self.header, self.provinces)

    # I. objectives and targets
    def _objectives(self, p: Para, sub: str) -> str:
        text = p.text
        numbered = _ARABIC.match(text)
        if numbered and not p.bullet and len(text) < 200:
            title = fold(numbered.group(2))
            self.use(p)
            if "chi tieu" in title or "muc tieu cu the" in title:
                return "targets"
            return "objectives"
        if sub == "targets":
            analysis = analyse_target(text)
            code = f"T{len(self.out['targets']) + 1}"
            short = re.split(r"(?<=[.;])\s", text, maxsplit=1)[0]
            if len(short) > 120:
                short = short[:117].rsplit(" ", 1)[0] + "…"
            value = {
                "code": code,
                "text": text,
                "short": short.rstrip(".;"),
                **{k: analysis[k] for k in analysis if k not in ("confidence", "reason")},
            }
            self.out["targets"].append(
                _item(value, text, analysis["confidence"], analysis["reason"])
            )
        else:
            self.out["objectives"].append(
                _item(text, text, HIGH if p.bullet else MEDIUM, _("a paragraph under objectives"))
            )
        self.use(p)
        return sub

    # II. solutions
    def _solutions(self, p: Para, area: dict[str, Any] | None) -> dict[str, Any] | None:
        text = p.text
        numbered = _ARABIC.match(text)
        if numbered and not p.bullet and len(text) < 200 and text[-1:] not in ".;":
            value: dict[str, Any] = {
                "number": numbered.group(1),
                "title": numbered.group(2).rstrip(" :"),
                "items": [],
                "subsections": [],
            }
            area = _item(value, text, HIGH, _("a numbered heading under solutions"), sources=[])
            self.out["solution_areas"].append(area)
            self.use(p)
            return area
        if area is None:
            return None
        lettered = _LETTER.match(text)
        if lettered and not p.bullet and len(text) < 200:
            area["value"]["subsections"].append(
                {"label": lettered.group(1), "title": lettered.group(2).rstrip(" :"), "items": []}
            )
            area["sources"].append(text)
            self.use(p)
            return area
        subs = area["value"]["subsections"]
        (subs[-1]["items"] if subs else area["value"]["items"]).append(text)
        area["sources"].append(text)
        self.use(p)
        return area

    # III. funding
    def _funding(self, p: Para) -> None:
        m = _ARABIC.match(p.text)
        text = m.group(2) if m else p.text
        if text:
            self.out["funding"].append(_item(text, p.text, HIGH, _("a line under funding")))
            self.use(p)

    # IV. organisation
    def _organisation(self, p: Para, group: dict[str, Any] | None) -> dict[str, Any] | None:
        text = p.text
        numbered = _ARABIC.match(text) if not p.bullet else None
        if numbered:
            body = numbered.group(2)
            lead = re.sub(r"^\d{1,2}\s*[.)]\s*", "", p.lead).strip() if p.lead else ""
            if lead and body.startswith(lead):
                heading, rest = lead, body[len(lead) :]
                how = _("the bold words of a numbered heading")
            elif ":" in body[:160]:
                heading, rest = body.split(":", 1)
                how = _("a numbered heading up to its colon")
            elif len(body) <= 160 and body[-1:] not in ".;":
                heading, rest = body, ""
                how = _("a numbered heading")
            elif cut := _heading_end(body, self.matcher):
                # "9. Các sở, ngành liên quan của tỉnh căn cứ …": the agencies it starts with
                heading, rest = body[:cut], body[cut:]
                how = _("a numbered paragraph that starts with agencies")
            else:
                heading, rest = body, ""
                how = _("a numbered paragraph")
            heading = heading.strip().rstrip(":").strip()
            rest = rest.strip().lstrip(":").strip()
            matches = self.matcher.match(heading)
            value = {
                "number": numbered.group(1),
                "heading": heading[:300],
                "intro": "",
                "agencies": [m.code for m in matches],
                "lead": None,
                "items": [rest] if rest else [],
            }
            reason = how
            if matches:
                reason += "; " + _("agencies: %(list)s") % {
                    "list": ", ".join(
                        f"{m.name} ({m.reason})" if m.reason else m.name for m in matches
                    )
                }
            group = _item(
                value,
                text,
                HIGH if matches else LOW,
                reason if matches else reason + "; " + _("no agency of the catalog recognised"),
                sources=[],
                matches=[{"code": m.code, "name": m.name, "matched": m.matched} for m in matches],
            )
            self.out["tasks"].append(group)
            self.use(p)
            return group
        if group is None:
            return None
        value = group["value"]
        if not p.bullet and not value["items"] and not value["intro"]:
            value["intro"] = text  # an introduction, if list items follow (else an item)
        else:
            value["items"].append(text)
        group["sources"].append(text)
        self.use(p)
        return group

    # the end: Nơi nhận and the signature
    def _recipient(self, p: Para, text: str) -> None:
        text = text.strip().rstrip(";.").strip()
        if text:
            self.out["recipients"].append(_item(text, p.text, HIGH, _("a line under Nơi nhận")))
        self.use(p)

    def _signature(self, p: Para) -> bool:
        h = self.header
        text = p.text
        if m := _AUTHORITY.match(text):
            h["signer_authority"] = _item(
                f"{m.group(1)}. {m.group(2).strip()}", text, HIGH, _("the signature block")
            )
            self.use(p)
            return True
        if text.isupper() and text.strip(" .") in _SIGNER_TITLES:
            h["signer_title"] = _item(text.strip(" ."), text, HIGH, _("the signature block"))
            self.use(p)
            return True
        tokens = text.split()
        if (
            2 <= len(tokens) <= 5
            and all(t[:1].isupper() and not t.isupper() for t in tokens)
            and "signer_name" not in h
            and ("signer_title" in h or "signer_authority" in h)
        ):
            h["signer_name"] = _item(text, text, HIGH, _("the name under the signature"))
            self.use(p)
            return True
        return False


_HEADING_TAIL = re.compile(
    r"^(?:\s*,?\s*(?:(?:của\s+)?tỉnh|Việt Nam|thành phố|các cấp|có liên quan))+",
    re.I,
)
_BETWEEN_AGENCIES = re.compile(r"^[\s,;]*(?:và|cùng|với)?\s*(?:các)?[\s,;]*$", re.I)


def _heading_end(body: str, matcher: AgencyMatcher) -> int:
    """Where the agencies a long numbered paragraph starts with end (0: it starts with none):
    "Các sở, ngành liên quan của tỉnh căn cứ …" → after "của tỉnh"."""
    head = body[:250]
    matches = sorted(matcher.match(head), key=lambda m: m.start)
    if not matches or len(re.findall(r"\w+", head[: matches[0].start])) > 3:
        return 0  # no agency, or one named deep in a sentence rather than as its subject
    end = matches[0].end
    for m in matches[1:]:
        gap = head[end : m.start]
        tail = _HEADING_TAIL.match(gap)
        if m.start <= end or _BETWEEN_AGENCIES.match(gap[tail.end() if tail else 0 :]):
            end = max(end, m.end)
        else:
            break
    tail = _HEADING_TAIL.match(head[end:])
    return end + (tail.end() if tail else 0)


def find_province(header: dict[str, Any], provinces: list[Any]) -> dict[str, Any] | None:
    """The first of ``provinces`` (geo Units) whose name the place line or the issuing body
    gives."""
    for item in [header[k] for k in ("place", "issuer_name") if k in header]:
        text = fold(item["value"])
        for unit in provinces:
            names = {fold(unit.short_name or ""), fold(unit.name)}
            names |= {re.sub(r"^(tinh|thanh pho)\s+", "", n) for n in names}
            if any(n and re.search(rf"\b{re.escape(n)}\b", text) for n in names):
                return _item(
                    {"id": unit.pk, "code": unit.code, "name": unit.short_name or unit.name},
                    item["source"],
                    HIGH,
                    _("the province's name in the header"),
                )
    return None


def _finish_tasks(out: dict[str, Any]) -> None:
    """An introduction without list items after it is the heading's only task."""
    for group in out["tasks"]:
        value = group["value"]
        if value["intro"] and not value["items"]:
            value["items"], value["intro"] = [value["intro"]], ""


def propose(paras: list[Para], matcher: AgencyMatcher, provinces: list[Any]) -> dict[str, Any]:
    """The proposal read from a document's paragraphs (see the module's docstring)."""
    out = _Parser(paras, matcher, provinces).run()
    _finish_tasks(out)
    out["stats"] = {
        "paragraphs": len(paras),
        "objectives": len(out["objectives"]),
        "targets": len(out["targets"]),
        "solution_areas": len(out["solution_areas"]),
        "funding": len(out["funding"]),
        "tasks": len(out["tasks"]),
        "agencies_matched": sum(len(g["value"]["agencies"]) for g in out["tasks"]),
        "headings_without_agency": sum(1 for g in out["tasks"] if not g["value"]["agencies"]),
        "recipients": len(out["recipients"]),
        "unmatched": len(out["unmatched"]),
    }
    return out


def to_content(proposal: dict[str, Any]) -> dict[str, Any]:
    """The content shape of :mod:`pcmd.plans.structure` from a proposal's kept items (an item
    the reviewer dropped carries ``"dropped": true``)."""

    def kept(key: str) -> list[Any]:
        return [i["value"] for i in proposal.get(key) or [] if not i.get("dropped")]

    def one(key: str) -> str:
        item = proposal.get(key)
        return str(item["value"]) if item and not item.get("dropped") else ""

    return {
        "legal_bases": kept("legal_bases"),
        "preamble": one("preamble"),
        "objectives": kept("objectives"),
        "targets": kept("targets"),
        "solution_areas": kept("solution_areas"),
        "funding": {"items": kept("funding")},
        "tasks": kept("tasks"),
        "recipients": kept("recipients"),
        "closing": one("closing"),
    }
