"""Benchmark: the proposal read from the seed plan 1842/KH-UBND (2018), as pasted text and as a
DOCX built from it, against the hand transcription (pcmd/plans/data/kh-1842-2018.yaml).

Run: ``.venv/bin/python benchmarks/plan_proposal.py``

No database is needed: the agency catalog is Đắk Lắk's template (pcmd/agencies/data/dak-lak.yaml)
and the province a stand-in for the unit "Đắk Lắk". The figures (found / expected per part,
targets with the right kind and values, headings with the right agencies) go to
``benchmarks/results/plan_proposal.md``. ``seed_docx`` is also used by tests/plans/.
"""

from __future__ import annotations

import io
import os
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SEED = Path(os.environ.get("PCMD_SEED_PLAN", "/work/shared/spec/ke-hoach-1842-KH-UBND-2018.md"))
EXPECTED = ROOT / "pcmd" / "plans" / "data" / "kh-1842-2018.yaml"
AGENCIES = ROOT / "pcmd" / "agencies" / "data" / "dak-lak.yaml"
RESULT = ROOT / "benchmarks" / "results" / "plan_proposal.md"
TARGET_FIELDS = ("kind", "value", "value_min", "value_max", "denominator")


def _runs(paragraph: Any, text: str) -> None:
    """Markdown "**bold** rest" → a bold run and a plain one."""
    for n, part in enumerate(re.split(r"\*\*", text)):
        if part.replace("*", ""):
            run = paragraph.add_run(part.replace("*", ""))
            run.bold = n % 2 == 1


def seed_docx(markdown: str) -> bytes:
    """The seed's text as a Word document laid out the way provinces publish plans: the number
    and the place and date side by side in a table, headings in heading styles, "-" items as
    Word list items (no dash in the text), bold heading words, and "Nơi nhận" beside the
    signature in a two-column table."""
    import docx

    document = docx.Document()
    lines = [line.rstrip() for line in markdown.splitlines()]
    body = [line for line in lines if line.strip()]
    number = next(line for line in body if line.startswith("Số:"))
    place = next(line for line in body if ", ngày " in line)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).paragraphs[0].add_run(number)
    table.cell(0, 1).paragraphs[0].add_run(place)
    tail_at = next(i for i, line in enumerate(body) if "Nơi nhận" in line)
    for line in body:
        if line in (number, place):
            continue
        if body.index(line) >= tail_at:
            break
        if line.startswith("#"):
            level = min(len(line) - len(line.lstrip("#")), 3)
            document.add_heading(line.lstrip("#").replace("*", "").strip(), level=level)
        elif line.startswith("- "):
            _runs(document.add_paragraph(style="List Bullet"), line[2:].strip())
        else:
            _runs(document.add_paragraph(), line.strip())
    tail = document.add_table(rows=1, cols=2)
    left, right = tail.cell(0, 0), tail.cell(0, 1)
    left.paragraphs[0].add_run("Nơi nhận:").italic = True
    signature: list[str] = []
    for line in body[tail_at + 1 :]:
        if line.startswith("- "):
            left.add_paragraph(line)
        else:
            signature.append(line.replace("*", "").strip())
    first = right.paragraphs[0]
    authority = first.add_run(signature[0])
    authority.bold = True
    authority.add_break()
    first.add_run(signature[1]).bold = True
    right.add_paragraph()
    right.add_paragraph().add_run(signature[-1]).bold = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def plain(markdown: str) -> str:
    """The seed without its Markdown marks (#, **, *)."""
    return re.sub(r"[#*]", "", markdown)


@dataclass
class Part:
    name: str
    found: int
    expected: int
    right: int


def compare(proposal: dict[str, Any], expected: dict[str, Any]) -> list[Part]:
    """Found / expected / right per part of the plan."""
    targets = [t["value"] for t in proposal["targets"]]
    right_targets = sum(
        1
        for got, want in zip(targets, expected["targets"], strict=False)
        if all(got.get(k) == want.get(k) for k in TARGET_FIELDS)
    )
    areas = [a["value"] for a in proposal["solution_areas"]]

    def area_items(area: dict[str, Any]) -> list[int]:
        return [len(area.get("items") or [])] + [
            len(s["items"]) for s in area.get("subsections") or []
        ]

    right_areas = sum(
        1
        for got, want in zip(areas, expected["solution_areas"], strict=False)
        if got["number"] == want["number"]
        and got["title"] == want["title"]
        and area_items(got) == area_items(want)
    )
    groups = [g["value"] for g in proposal["tasks"]]
    pairs = list(zip(groups, expected["tasks"], strict=False))
    right_headings = sum(
        1
        for got, want in pairs
        if got["number"] == want["number"] and got["heading"] == want["heading"]
    )
    want_agencies = sum(len(w["agencies"]) for w in expected["tasks"])
    got_agencies = sum(len(set(g["agencies"]) & set(w["agencies"])) for g, w in pairs)
    extra_agencies = sum(len(set(g["agencies"]) - set(w["agencies"])) for g, w in pairs)
    right_items = sum(1 for got, want in pairs if len(got["items"]) == len(want["items"]))
    bases = [b["value"] for b in proposal["legal_bases"]]
    want_bases = [
        {**b, "date": b["date"].isoformat() if b.get("date") else None}
        for b in expected["legal_bases"]
    ]
    header = proposal["header"]
    signer = expected["signer"]
    header_checks = {
        "number": expected["number"],
        "date": expected["issued_on"].isoformat(),
        "place": expected["place"],
        "title": expected["title"],
        "signer_name": signer["name"],
        "signer_authority": signer["authority"],
        "signer_title": signer["title"],
        "period_start": expected["period"]["start"].isoformat(),
        "period_end": expected["period"]["end"].isoformat(),
    }
    right_header = sum(
        1 for k, v in header_checks.items() if header.get(k, {}).get("value") == v
    ) + int(header.get("province", {}).get("value", {}).get("code") == expected["province_code"])

    def texts(key: str) -> list[str]:
        return [i["value"] for i in proposal[key]]

    funding = texts("funding")
    return [
        Part(
            "header fields (+ province)",
            sum(k in header for k in [*header_checks, "province"]),
            len(header_checks) + 1,
            right_header,
        ),
        Part("legal bases", len(bases), len(want_bases), sum(b in want_bases for b in bases)),
        Part(
            "objectives",
            len(proposal["objectives"]),
            len(expected["objectives"]),
            sum(t in expected["objectives"] for t in texts("objectives")),
        ),
        Part("targets (kind and values)", len(targets), len(expected["targets"]), right_targets),
        Part(
            "solution areas (title, items)",
            len(areas),
            len(expected["solution_areas"]),
            right_areas,
        ),
        Part(
            "funding lines",
            len(funding),
            len(expected["funding"]["items"]),
            sum(t in expected["funding"]["items"] for t in funding),
        ),
        Part("Section IV headings", len(groups), len(expected["tasks"]), right_headings),
        Part(
            "Section IV agencies (matched)",
            got_agencies + extra_agencies,
            want_agencies,
            got_agencies,
        ),
        Part(
            "Section IV task counts per heading", len(groups), len(expected["tasks"]), right_items
        ),
        Part(
            "recipients (Nơi nhận)",
            len(proposal["recipients"]),
            len(expected["recipients"]),
            sum(t in expected["recipients"] for t in texts("recipients")),
        ),
        Part(
            "closing sentence",
            int(proposal["closing"] is not None),
            1,
            int((proposal["closing"] or {}).get("value") == expected["closing"]),
        ),
    ]


def main() -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    import yaml
    from django.utils import translation

    translation.activate("en")  # the reasons in the results in English

    from pcmd.plans.agency_match import AgencyMatcher, CatalogAgency
    from pcmd.plans.proposal import propose
    from pcmd.plans.proposal_read import paragraphs_from_docx, paragraphs_from_text

    template = yaml.safe_load(AGENCIES.read_text(encoding="utf-8"))
    matcher = AgencyMatcher(
        [
            CatalogAgency(a["code"], a["name"], a.get("short", ""), a["kind"])
            for a in template["province"]
        ],
        "Đắk Lắk",
    )

    class Province:
        pk, code, name, short_name = 0, "66", "Tỉnh Đắk Lắk", "Đắk Lắk"

    expected = yaml.safe_load(EXPECTED.read_text(encoding="utf-8"))
    markdown = SEED.read_text(encoding="utf-8")
    runs = {}
    started = time.perf_counter()
    runs["pasted text"] = propose(paragraphs_from_text(markdown), matcher, [Province()])
    text_ms = (time.perf_counter() - started) * 1000
    runs["plain text"] = propose(paragraphs_from_text(plain(markdown)), matcher, [Province()])
    data = seed_docx(markdown)
    started = time.perf_counter()
    runs["DOCX"] = propose(paragraphs_from_docx(data), matcher, [Province()])
    docx_ms = (time.perf_counter() - started) * 1000
    lines = [
        "# Plan proposal from the seed document (1842/KH-UBND, 2018)",
        "",
        "`benchmarks/plan_proposal.py`: the seed plan read by `pcmd.plans.proposal` as pasted",
        "text and as a DOCX built from it (`seed_docx`), compared with the hand transcription",
        "`pcmd/plans/data/kh-1842-2018.yaml`. *found* = items proposed, *expected* = items in",
        "the transcription, *right* = proposed items equal to the transcription's (targets: kind,",
        "value, min, max, denominator; areas: number, title, item counts; headings: number and",
        "heading; agencies: expected agency codes matched per heading).",
        "",
        "*pasted text* is the seed as stored (Markdown: headings, bold heading words);",
        "*plain text* the same without any Markdown mark (what pasting from a PDF gives).",
        "",
        "| part | pasted text: found / right | plain text: found / right "
        "| DOCX: found / right | expected |",
        "|---|---:|---:|---:|---:|",
    ]
    parts = {name: compare(p, expected) for name, p in runs.items()}
    for a, b, c in zip(parts["pasted text"], parts["plain text"], parts["DOCX"], strict=True):
        lines.append(
            f"| {a.name} | {a.found} / {a.right} | {b.found} / {b.right} "
            f"| {c.found} / {c.right} | {a.expected} |"
        )
    for name, proposal in runs.items():
        if name == "plain text":
            continue
        lines += ["", f"## {name}: targets", ""]
        for t in proposal["targets"]:
            v = t["value"]
            values = ", ".join(f"{k}={v[k]}" for k in TARGET_FIELDS[1:] if v[k] is not None)
            lines.append(f"- {v['code']}: {v['kind']} {values} — {t['reason']}")
        lines += ["", f"## {name}: Section IV agencies", ""]
        for g in proposal["tasks"]:
            v = g["value"]
            lines.append(f"- {v['number']}. {v['heading']} → {', '.join(v['agencies']) or '—'}")
        lines += ["", f"Unmatched paragraphs ({len(proposal['unmatched'])}):", ""]
        lines += [f"- “{u['text']}” {u['reason']}" for u in proposal["unmatched"]]
    lines += [
        "",
        f"Time: text {text_ms:.0f} ms, DOCX {docx_ms:.0f} ms (DOCX {len(data):,} bytes) "
        f"on {os.cpu_count()} cores.",
        "",
    ]
    RESULT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
