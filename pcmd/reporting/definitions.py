"""A form version as data: check a definition (YAML/JSON), create its rows, read it back.

The same definition format serves the seed file (``data/forms.yaml``), the form designer page
(an administrator edits the YAML of the current version; saving creates a new version) and
the API. Functions take a ``get_model`` so the seed also runs inside a data migration.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps as django_apps
from django.utils.translation import gettext as _

GetModel = Callable[[str, str], Any]

PERIOD_TYPES = ("month", "quarter", "half", "year")
CUTOFFS = ("calendar", "decree09")
FIELD_KINDS = ("auto", "integer", "money", "text", "table", "task_reports")
NUMERIC = ("auto", "integer", "money")
COLUMN_KINDS = ("text", "integer", "money")
RULE_KINDS = ("compare", "range", "median", "legal_fine")
SEVERITIES = ("blocking", "warning")
OPERATORS = ("le", "lt", "ge", "gt", "eq")
AGENCY_KINDS = ("ubnd", "department", "police", "procuracy", "court", "mass_org", "team", "group")
CODE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
# Registers whose people counts have person-level roles (pcmd.indicators.privacy); a
# ``small_cells`` field or column may name one as its ``source``.
SMALL_CELL_SOURCES = ("support_counts", "patrols", "violations", "sanctions")

VERSION_KEYS = (
    "title",
    "period_type",
    "cutoff",
    "reporter",
    "approver_level",
    "deadline_days",
    "level_deadlines",
    "is_synthesis",
    "source_form",
    "doc_suffix",
    "addressee",
    "signer_authority",
    "signer_title",
    "recipients",
    "sections",
    "rules",
)


class DefinitionError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def _number(value: Any) -> int | float | None:
    if value is None or value == "":
        return None
    try:
        dec = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(value) from None
    return int(dec) if dec == dec.to_integral_value() else float(dec)


class _Checker:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def text(
        self,
        data: dict[str, Any],
        key: str,
        where: str,
        *,
        required: bool = False,
        max_length: int = 300,
    ) -> str:
        value = data.get(key)
        if value is None or str(value).strip() == "":
            if required:
                self.add(f"{where}.{key}", _("is required"))
            return ""
        text = " ".join(str(value).split())
        if len(text) > max_length:
            self.add(f"{where}.{key}", _("is longer than %(n)s characters") % {"n": max_length})
        return text

    def choice(
        self,
        data: dict[str, Any],
        key: str,
        where: str,
        choices: tuple[str, ...],
        *,
        required: bool = True,
    ) -> str:
        value = data.get(key)
        if value in (None, "") and not required:
            return ""
        if value not in choices:
            self.add(
                f"{where}.{key}", _("must be one of %(choices)s") % {"choices": ", ".join(choices)}
            )
            return ""
        return str(value)

    def level(self, value: Any, where: str) -> int | None:
        if value in (None, ""):
            return None
        if isinstance(value, int) and value in (1, 2, 3):
            return value
        names = {"province": 1, "district": 2, "commune": 3}
        if isinstance(value, str) and value in names:
            return names[value]
        if isinstance(value, str) and value.isdecimal() and int(value) in (1, 2, 3):
            return int(value)
        self.add(where, _("must be a level: 1 (province), 2 (district) or 3 (commune)"))
        return None


def clean_definition(
    data: Any, *, forms: set[str] | None = None, indicators: set[str] | None = None
) -> dict[str, Any]:
    """A checked, normalised definition, or :class:`DefinitionError` naming each problem.

    ``forms`` / ``indicators``: known codes to check references against (None: not checked).
    """
    c = _Checker()
    if not isinstance(data, dict):
        raise DefinitionError([_("The definition must be a mapping of keys to values.")])
    unknown = sorted(
        set(data)
        - set(VERSION_KEYS)
        - {"code", "name", "order", "valid_from", "valid_to", "legal_basis"}
    )
    for key in unknown:
        c.add(key, _("unknown key"))
    out: dict[str, Any] = {
        "title": c.text(data, "title", "title", required=True),
        "period_type": c.choice(data, "period_type", "period_type", PERIOD_TYPES),
        "cutoff": c.choice(data, "cutoff", "cutoff", CUTOFFS),
        "is_synthesis": bool(data.get("is_synthesis", False)),
        "doc_suffix": c.text(data, "doc_suffix", "doc_suffix", max_length=40) or "BC",
        "addressee": c.text(data, "addressee", "addressee", max_length=200),
        "signer_authority": c.text(data, "signer_authority", "signer_authority", max_length=80),
        "signer_title": c.text(data, "signer_title", "signer_title", max_length=80),
    }
    out["reporter"] = _reporter(c, data.get("reporter"))
    out["approver_level"] = c.level(data.get("approver_level"), "approver_level")
    try:
        days = int(data.get("deadline_days", ""))
        if not 0 <= days <= 366:
            raise ValueError
    except (TypeError, ValueError):
        c.add("deadline_days", _("must be a whole number of days (0–366)"))
        days = 0
    out["deadline_days"] = days
    level_deadlines: dict[str, int] = {}
    raw_levels = data.get("level_deadlines") or {}
    if not isinstance(raw_levels, dict):
        c.add("level_deadlines", _("must map a level to a number of days"))
        raw_levels = {}
    for key, value in raw_levels.items():
        level = c.level(key, f"level_deadlines.{key}")
        try:
            level_deadlines[str(level)] = int(value)
        except (TypeError, ValueError):
            c.add(f"level_deadlines.{key}", _("must be a whole number of days"))
    out["level_deadlines"] = level_deadlines
    source = data.get("source_form") or None
    if source and forms is not None and source not in forms:
        c.add("source_form", _("no form with code %(code)s") % {"code": source})
    out["source_form"] = source
    recipients = data.get("recipients") or []
    if not isinstance(recipients, list):
        c.add("recipients", _("must be a list of lines"))
        recipients = []
    out["recipients"] = [" ".join(str(r).split()) for r in recipients if str(r).strip()]
    out["sections"], kinds = _sections(c, data.get("sections"), indicators)
    out["rules"] = _rules(c, data.get("rules") or [], kinds)
    if c.problems:
        raise DefinitionError(c.problems)
    return out


def _reporter(c: _Checker, raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        c.add("reporter", _("is required: {kind: unit, levels: [3, 2]} or {kind: agency, …}"))
        return {
            "kind": "unit",
            "levels": [],
            "agency_kinds": [],
            "agency_role": "",
            "agency_level": None,
        }
    kind = c.choice(raw, "kind", "reporter", ("unit", "agency"))
    levels = [
        lv
        for lv in (c.level(v, "reporter.levels") for v in raw.get("levels") or [])
        if lv is not None
    ]
    agency_kinds = list(raw.get("agency_kinds") or [])
    for value in agency_kinds:
        if value not in AGENCY_KINDS:
            c.add("reporter.agency_kinds", _("unknown agency kind %(kind)s") % {"kind": value})
    role = str(raw.get("agency_role") or "")
    agency_level = c.level(raw.get("agency_level"), "reporter.agency_level")
    if kind == "unit" and not levels:
        c.add("reporter.levels", _("a unit report needs at least one level"))
    if kind == "agency" and not (agency_kinds or role):
        c.add("reporter", _("an agency report needs agency_kinds or agency_role"))
    return {
        "kind": kind,
        "levels": levels if kind == "unit" else [],
        "agency_kinds": agency_kinds if kind == "agency" else [],
        "agency_role": role if kind == "agency" else "",
        "agency_level": agency_level if kind == "agency" else None,
    }


def _sections(
    c: _Checker,
    raw: Any,
    indicators: set[str] | None,
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    if not isinstance(raw, list) or not raw:
        c.add("sections", _("a form needs at least one section"))
        return [], {}
    kinds: dict[str, str] = {}
    sections = []
    for i, section in enumerate(raw, 1):
        where = f"sections[{i}]"
        if not isinstance(section, dict):
            c.add(where, _("must be a mapping with title and fields"))
            continue
        fields = []
        for j, field in enumerate(section.get("fields") or [], 1):
            fw = f"{where}.fields[{j}]"
            if not isinstance(field, dict):
                c.add(fw, _("must be a mapping"))
                continue
            code = str(field.get("code") or "")
            if not CODE.match(code):
                c.add(f"{fw}.code", _("must be lower-case letters, digits and _ (a–z first)"))
            elif code in kinds:
                c.add(f"{fw}.code", _("%(code)s is used twice") % {"code": code})
            kind = c.choice(field, "kind", fw, FIELD_KINDS)
            kinds[code] = kind
            indicator = str(field.get("indicator") or "")
            if kind == "auto" and not indicator:
                c.add(f"{fw}.indicator", _("an automatic field needs an indicator code"))
            if indicator and indicators is not None and indicator not in indicators:
                c.add(f"{fw}.indicator", _("no indicator with code %(code)s") % {"code": indicator})
            columns = _columns(c, field.get("columns"), fw) if kind == "table" else []
            if kind == "table" and not columns:
                c.add(f"{fw}.columns", _("a table field needs columns"))
            small_cells, source = _small_cells(c, field, fw)
            if small_cells and kind != "integer":
                c.add(
                    f"{fw}.small_cells",
                    _(
                        "only a whole-number field counting people "
                        "suppresses small cells (an automatic field "
                        "follows its indicator)"
                    ),
                )
                small_cells, source = False, ""
            fields.append(
                {
                    "code": code,
                    "label": c.text(field, "label", fw, required=True),
                    "kind": kind,
                    "indicator": indicator if kind == "auto" else "",
                    "publish": str(field.get("publish") or "")
                    if kind in ("integer", "money")
                    else "",
                    "columns": columns,
                    "unit_label": c.text(field, "unit_label", fw, max_length=40),
                    "required": bool(field.get("required", False)),
                    "help": c.text(field, "help", fw),
                    "small_cells": small_cells,
                    "source": source,
                }
            )
        if not fields:
            c.add(where, _("a section needs at least one field"))
        sections.append({"title": c.text(section, "title", where, required=True), "fields": fields})
    return sections, kinds


def _columns(c: _Checker, raw: Any, where: str) -> list[dict[str, str]]:
    out = []
    seen: set[str] = set()
    for k, col in enumerate(raw or [], 1):
        cw = f"{where}.columns[{k}]"
        if not isinstance(col, dict):
            c.add(cw, _("must be a mapping with key, label and kind"))
            continue
        key = str(col.get("key") or "")
        if not CODE.match(key) or key in seen:
            c.add(f"{cw}.key", _("must be a unique code of lower-case letters, digits and _"))
        seen.add(key)
        item: dict[str, Any] = {
            "key": key,
            "label": c.text(col, "label", cw, required=True),
            "kind": c.choice(col, "kind", cw, COLUMN_KINDS),
        }
        small_cells, source = _small_cells(c, col, cw)
        if small_cells and item["kind"] != "integer":
            c.add(
                f"{cw}.small_cells",
                _("only a whole-number column counting people suppresses small cells"),
            )
        elif small_cells:
            # only when set: columns stored before the flag existed stay equal
            item["small_cells"] = True
            if source:
                item["source"] = source
        out.append(item)
    return out


def _small_cells(c: _Checker, data: dict[str, Any], where: str) -> tuple[bool, str]:
    """``small_cells: true`` (a count of people) and the register it is counted in."""
    raw = data.get("small_cells", False)
    if not isinstance(raw, bool):
        c.add(f"{where}.small_cells", _("must be true or false"))
        raw = False
    source = str(data.get("source") or "")
    if source and source not in SMALL_CELL_SOURCES:
        c.add(
            f"{where}.source",
            _("must be one of %(choices)s") % {"choices": ", ".join(SMALL_CELL_SOURCES)},
        )
        source = ""
    if source and not raw:
        c.add(
            f"{where}.source", _("names the register of a small_cells count; set small_cells: true")
        )
        source = ""
    return raw, source


def _rules(c: _Checker, raw: Any, kinds: dict[str, str]) -> list[dict[str, Any]]:
    if not isinstance(raw, list):
        c.add("rules", _("must be a list"))
        return []
    out = []
    seen: set[str] = set()

    def numeric_field(rule: dict[str, Any], key: str, where: str, required: bool) -> str:
        code = str(rule.get(key) or "")
        if not code:
            if required:
                c.add(f"{where}.{key}", _("is required"))
            return ""
        if kinds.get(code) not in NUMERIC:
            c.add(
                f"{where}.{key}", _("%(code)s is not a numeric field of this form") % {"code": code}
            )
        return code

    for i, rule in enumerate(raw, 1):
        where = f"rules[{i}]"
        if not isinstance(rule, dict):
            c.add(where, _("must be a mapping"))
            continue
        code = str(rule.get("code") or "")
        if not CODE.match(code) or code in seen:
            c.add(f"{where}.code", _("must be a unique code of lower-case letters, digits and _"))
        seen.add(code)
        kind = c.choice(rule, "kind", where, RULE_KINDS)
        item: dict[str, Any] = {
            "code": code,
            "kind": kind,
            "severity": c.choice(rule, "severity", where, SEVERITIES),
            "field": numeric_field(rule, "field", where, True),
            "divisor": numeric_field(rule, "divisor", where, False),
            "operator": "",
            "other": "",
            "min": None,
            "max": None,
            "factor": None,
            "min_history": 3,
            "message": c.text(rule, "message", where, required=True),
            "message_en": c.text(rule, "message_en", where),
            "legal_basis": c.text(rule, "legal_basis", where),
        }
        try:
            item["min"] = _number(rule.get("min"))
            item["max"] = _number(rule.get("max"))
            item["factor"] = _number(rule.get("factor"))
        except ValueError:
            c.add(where, _("min, max and factor must be numbers"))
        if kind == "compare":
            item["operator"] = c.choice(rule, "operator", where, OPERATORS)
            item["other"] = numeric_field(rule, "other", where, True)
        elif kind == "range" and item["min"] is None and item["max"] is None:
            c.add(where, _("a range rule needs min or max"))
        elif kind == "median":
            if not item["factor"] or item["factor"] <= 1:
                c.add(f"{where}.factor", _("a median rule needs a factor above 1 (e.g. 3)"))
            try:
                item["min_history"] = max(1, int(rule.get("min_history", 3)))
            except (TypeError, ValueError):
                c.add(f"{where}.min_history", _("must be a whole number"))
        out.append(item)
    return out


def create_version(
    form: Any,
    spec: dict[str, Any],
    *,
    created_by: Any = None,
    change_note: str = "",
    get_model: GetModel | None = None,
) -> Any:
    """Create the next version of ``form`` from a cleaned definition."""
    get = get_model or django_apps.get_model
    FormVersion = get("reporting", "FormVersion")
    FormSection = get("reporting", "FormSection")
    FormField = get("reporting", "FormField")
    ValidationRule = get("reporting", "ValidationRule")
    ReportForm = get("reporting", "ReportForm")
    last = FormVersion.objects.filter(form=form).order_by("-number").first()
    reporter = spec["reporter"]
    source = ReportForm.objects.get(code=spec["source_form"]) if spec.get("source_form") else None
    version = FormVersion.objects.create(
        form=form,
        number=(last.number + 1) if last else 1,
        title=spec["title"],
        period_type=spec["period_type"],
        cutoff=spec["cutoff"],
        reporter_kind=reporter["kind"],
        reporter_levels=reporter["levels"],
        agency_kinds=reporter["agency_kinds"],
        agency_role=reporter["agency_role"],
        agency_level=reporter["agency_level"],
        approver_level=spec["approver_level"],
        deadline_days=spec["deadline_days"],
        level_deadlines=spec["level_deadlines"],
        is_synthesis=spec["is_synthesis"],
        source_form=source,
        doc_suffix=spec["doc_suffix"],
        addressee=spec["addressee"],
        signer_authority=spec["signer_authority"],
        signer_title=spec["signer_title"],
        recipients=spec["recipients"],
        change_note=change_note[:300],
        created_by=created_by,
    )
    # the data migration 0002 runs on a FormField without the small-cell columns (0003)
    flags = {f.name for f in FormField._meta.get_fields()} >= {"small_cells", "source"}
    for s_order, section_spec in enumerate(spec["sections"], 1):
        section = FormSection.objects.create(
            version=version, order=s_order, title=section_spec["title"]
        )
        FormField.objects.bulk_create(
            [
                FormField(
                    version=version,
                    section=section,
                    order=f_order,
                    code=f["code"],
                    label=f["label"],
                    kind=f["kind"],
                    indicator_code=f["indicator"],
                    publish_code=f["publish"],
                    columns=f["columns"],
                    unit_label=f["unit_label"],
                    required=f["required"],
                    help=f["help"],
                    **({"small_cells": f["small_cells"], "source": f["source"]} if flags else {}),
                )
                for f_order, f in enumerate(section_spec["fields"], 1)
            ]
        )
    ValidationRule.objects.bulk_create(
        [
            ValidationRule(
                version=version,
                order=order,
                code=r["code"],
                kind=r["kind"],
                severity=r["severity"],
                field_code=r["field"],
                divisor_code=r["divisor"],
                operator=r["operator"],
                other_code=r["other"],
                min_value=r["min"],
                max_value=r["max"],
                factor=r["factor"],
                min_history=r["min_history"],
                message=r["message"],
                message_en=r["message_en"],
                legal_basis=r["legal_basis"],
            )
            for order, r in enumerate(spec["rules"], 1)
        ]
    )
    return version


def _plain(value: Any) -> int | float | None:
    return _number(value) if value is not None else None


def version_to_definition(
    version: Any,
    *,
    get_model: GetModel | None = None,
) -> dict[str, Any]:
    """The normalised definition of a stored version (same shape as :func:`clean_definition`)."""
    get = get_model or django_apps.get_model
    FormSection = get("reporting", "FormSection")
    FormField = get("reporting", "FormField")
    ValidationRule = get("reporting", "ValidationRule")
    ReportForm = get("reporting", "ReportForm")
    source = (
        ReportForm.objects.filter(pk=version.source_form_id).values_list("code", flat=True).first()
        if version.source_form_id
        else None
    )
    fields_by_section: dict[int, list[dict[str, Any]]] = {}
    for f in FormField.objects.filter(version=version).order_by("section__order", "order"):
        fields_by_section.setdefault(f.section_id, []).append(
            {
                "code": f.code,
                "label": f.label,
                "kind": f.kind,
                "indicator": f.indicator_code,
                "publish": f.publish_code,
                "columns": list(f.columns or []),
                "unit_label": f.unit_label,
                "required": f.required,
                "help": f.help,
                "small_cells": getattr(f, "small_cells", False),
                "source": getattr(f, "source", ""),
            }
        )
    sections = [
        {"title": s.title, "fields": fields_by_section.get(s.pk, [])}
        for s in FormSection.objects.filter(version=version).order_by("order")
    ]
    rules = [
        {
            "code": r.code,
            "kind": r.kind,
            "severity": r.severity,
            "field": r.field_code,
            "divisor": r.divisor_code,
            "operator": r.operator,
            "other": r.other_code,
            "min": _plain(r.min_value),
            "max": _plain(r.max_value),
            "factor": _plain(r.factor),
            "min_history": r.min_history,
            "message": r.message,
            "message_en": r.message_en,
            "legal_basis": r.legal_basis,
        }
        for r in ValidationRule.objects.filter(version=version).order_by("order")
    ]
    return {
        "title": version.title,
        "period_type": version.period_type,
        "cutoff": version.cutoff,
        "is_synthesis": version.is_synthesis,
        "doc_suffix": version.doc_suffix,
        "addressee": version.addressee,
        "signer_authority": version.signer_authority,
        "signer_title": version.signer_title,
        "reporter": {
            "kind": version.reporter_kind,
            "levels": list(version.reporter_levels),
            "agency_kinds": list(version.agency_kinds),
            "agency_role": version.agency_role,
            "agency_level": version.agency_level,
        },
        "approver_level": version.approver_level,
        "deadline_days": version.deadline_days,
        "level_deadlines": dict(version.level_deadlines or {}),
        "source_form": source,
        "recipients": list(version.recipients or []),
        "sections": sections,
        "rules": rules,
    }


def to_editable(definition: dict[str, Any]) -> dict[str, Any]:
    """A definition trimmed of empty values, for the designer's YAML text."""

    def trim(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                k: trim(v)
                for k, v in value.items()
                if v not in (None, "", [], {}) or k in ("rules",)
            }
        if isinstance(value, list):
            return [trim(v) for v in value]
        return value

    out = trim(definition)
    for section in out.get("sections", []):
        for field in section.get("fields", []):
            for flag in ("required", "small_cells"):
                if field.get(flag) is False:
                    field.pop(flag)
    if out.get("is_synthesis") is False:
        out.pop("is_synthesis")
    return out
