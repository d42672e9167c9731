"""A plan's content as plain data, one shape everywhere.

The shape is the YAML transcription's (``data/kh-1842-2018.yaml``): the import reads it, a
version stores it (``PlanVersion.data``), a copy starts from it, the document proposal
(``pcmd.plans.proposal``) produces it and the API exchanges it. :func:`to_data` reads a plan
into it; :func:`apply_data` writes it onto a plan without losing what data refers to:

- targets are matched by ``code`` and task headings by ``number`` and updated in place (their
  ids, and so every reference to them, stay);
- a target or heading that the new content no longer has is deleted only when nothing refers
  to it; otherwise it is kept, marked ``withdrawn``, and stays attached to its plan;
- objectives, solution areas and tasks (text) are replaced.

Errors name the part and field (``targets[3].value``) in the exception's ``errors``.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pcmd.agencies.models import Agency

from .models import (
    ALL_LEVELS,
    Objective,
    Plan,
    SolutionArea,
    Target,
    TargetKind,
    TargetScaling,
    Task,
    TaskGroup,
)

HEADER_FIELDS = ("number", "kind", "title", "place", "preamble", "closing")
MAX_ITEMS = 200  # targets, areas, headings, tasks per heading: far above any real plan
MAX_ALLOCATIONS = 5_000  # units named in one target's allocations (a province has < 2,000)
MAX_TEXT = 20_000
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,9}$")


class StructureError(ValidationError):
    """Content that cannot become a plan; ``errors`` maps a path to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__(errors)


def _date(value: Any) -> str | None:
    if value in (None, ""):
        return None
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


def _num(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def to_data(plan: Plan) -> dict[str, Any]:
    """The plan's current content (withdrawn targets and headings left out)."""
    targets = plan.targets.filter(withdrawn=False).prefetch_related("responsible")
    groups = plan.task_groups.filter(withdrawn=False).prefetch_related("agencies", "tasks")
    return {
        "number": plan.number,
        "kind": plan.kind,
        "plan_type": plan.plan_type,
        "title": plan.title,
        "issued_on": _date(plan.issued_on),
        "place": plan.place,
        "province_code": plan.unit.code if plan.unit else None,
        "issuer_agency": plan.issuer.code if plan.issuer else None,
        "issuer_name": plan.issuer_name,
        "signer": {
            "name": plan.signer_name,
            "authority": plan.signer_authority,
            "title": plan.signer_title,
        },
        "period": {"start": _date(plan.period_start), "end": _date(plan.period_end)},
        "parent": plan.parent.number if plan.parent else None,
        "legal_bases": plan.legal_bases,
        "preamble": plan.preamble,
        "objectives": [o.text for o in plan.objectives.all()],
        "targets": [
            {
                "code": t.code,
                "text": t.text,
                "short": t.short,
                "short_en": t.short_en,
                "kind": t.kind,
                "value": _num(t.value),
                "value_min": _num(t.value_min),
                "value_max": _num(t.value_max),
                "denominator": _num(t.denominator),
                "unit_label": t.unit_label,
                "indicator_code": t.indicator_code,
                "responsible": sorted(a.code for a in t.responsible.all()),
                "applies_at": t.applies_at,
                "scaling": t.scaling,
                "allocations": t.allocations or None,
                "extra": t.extra,
                "parent": t.parent_id,
            }
            for t in targets
        ],
        "solution_areas": [
            {"number": a.number, "title": a.title, "items": a.items, "subsections": a.subsections}
            for a in plan.solution_areas.all()
        ],
        "funding": {"items": plan.funding},
        "tasks": [
            {
                "number": g.number,
                "heading": g.heading,
                "intro": g.intro or None,
                "agencies": [a.code for a in g.agencies.all()],
                "lead": g.lead.code if g.lead else None,
                "deadline": _date(g.deadline),
                "deadline_note": g.deadline_note,
                "items": [t.text for t in g.tasks.all()],
                "item_deadlines": [_date(t.deadline) for t in g.tasks.all()],
            }
            for g in groups
        ],
        "recipients": plan.recipients,
        "closing": plan.closing,
    }


class _Checker:
    """Collects every error of the content at once, each under its path."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def fail(self, path: str, message: str) -> None:
        self.errors.setdefault(path.lstrip("."), message)

    def text(self, spec: dict[str, Any], key: str, path: str, *, required: bool = False) -> str:
        value = spec.get(key)
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.fail(f"{path}.{key}", _("Enter text."))
            return ""
        value = value.strip()
        if required and not value:
            self.fail(f"{path}.{key}", _("This field is required."))
        if len(value) > MAX_TEXT:
            self.fail(f"{path}.{key}", _("The text is too long."))
        return value

    def texts(self, value: Any, path: str) -> list[str]:
        if value in (None, ""):
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(path, _("Enter a list of texts."))
            return []
        if len(value) > MAX_ITEMS:
            self.fail(path, _("Too many entries."))
        return [v.strip() for v in value if v.strip()]

    def number(self, spec: dict[str, Any], key: str, path: str) -> Decimal | None:
        return self.number_at(spec.get(key), f"{path}.{key}")

    def number_at(self, value: Any, path: str) -> Decimal | None:
        if value in (None, ""):
            return None
        try:
            if isinstance(value, bool):
                raise InvalidOperation
            number = Decimal(str(value))
        except (InvalidOperation, ValueError):
            self.fail(path, _("Enter a number."))
            return None
        if not number.is_finite() or abs(number) >= Decimal("1e10") or number < 0:
            self.fail(path, _("Enter a number between 0 and 9,999,999,999."))
            return None
        return number.quantize(Decimal("0.01"))

    def date(self, value: Any, path: str) -> datetime.date | None:
        if value in (None, ""):
            return None
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            self.fail(path, _("Enter a date as YYYY-MM-DD."))
            return None

    def agencies(self, codes: Any, path: str, catalog: dict[str, Agency]) -> list[Agency]:
        if codes in (None, ""):
            return []
        if not isinstance(codes, list):
            self.fail(path, _("Enter a list of agency codes."))
            return []
        out = []
        for code in codes:
            agency = catalog.get(str(code))
            if agency is None:
                self.fail(path, _("Unknown agency: %(code)s.") % {"code": str(code)[:40]})
            else:
                out.append(agency)
        return out


def _check_target(
    c: _Checker,
    spec: Any,
    path: str,
    catalog: dict[str, Agency],
    unit_codes: set[str] | None = None,
) -> dict:
    if not isinstance(spec, dict):
        c.fail(path, _("Enter a target."))
        return {}
    code = c.text(spec, "code", path, required=True)
    if code and not CODE.match(code):
        c.fail(f"{path}.code", _("A code has 1 to 10 letters, digits, dots or dashes (e.g. T3)."))
    kind = spec.get("kind") or TargetKind.QUALITATIVE
    if kind not in TargetKind.values:
        c.fail(f"{path}.kind", _("Choose a kind of target from the list."))
    values = {k: c.number(spec, k, path) for k in ("value", "value_min", "value_max")}
    denominator = c.number(spec, "denominator", path)
    if values["value_min"] is not None and values["value_max"] is not None:
        if values["value_min"] > values["value_max"]:
            c.fail(f"{path}.value_max", _("The maximum must not be below the minimum."))
    if (
        kind == TargetKind.COUNT_UNITS
        and denominator is not None
        and values["value"] is not None
        and values["value"] > denominator
    ):
        c.fail(f"{path}.value", _("The count cannot exceed the total it is out of."))
    if kind == TargetKind.COUNT_RANGE and values["value_min"] is None:
        c.fail(f"{path}.value_min", _("A range needs its minimum."))
    if kind in (TargetKind.PERCENT_UNITS, TargetKind.PERCENT_PEOPLE, TargetKind.PERCENT_CASES):
        if values["value"] is None:
            c.fail(f"{path}.value", _("A percentage target needs its value."))
        elif values["value"] > 100:
            c.fail(f"{path}.value", _("A percentage cannot exceed 100."))
    levels = spec.get("applies_at") or list(ALL_LEVELS)
    if not isinstance(levels, list) or any(level not in ALL_LEVELS for level in levels):
        c.fail(f"{path}.applies_at", _("Choose levels among province, district and commune."))
        levels = list(ALL_LEVELS)
    scaling = spec.get("scaling") or TargetScaling.SHARE
    if scaling not in TargetScaling.values:
        c.fail(f"{path}.scaling", _("Choose how the target carries to lower levels."))
    elif scaling == TargetScaling.PROVINCE_ONLY and levels != ["province"]:
        c.fail(f"{path}.applies_at", _("A target for the province only applies at the province."))
    allocations = spec.get("allocations") or {}
    if not isinstance(allocations, dict) or (
        scaling == TargetScaling.ALLOCATION and not allocations
    ):
        c.fail(f"{path}.allocations", _("Allocations map unit codes to goals."))
        allocations = {}
    checked_allocations: dict[str, int | float] = {}
    if len(allocations) > MAX_ALLOCATIONS:
        c.fail(f"{path}.allocations", _("Too many entries."))
        allocations = {}
    for unit_code, goal in allocations.items():
        where = f"{path}.allocations"
        if unit_codes is not None and str(unit_code) not in unit_codes:
            c.fail(
                where, _("%(code)s is not a unit of this plan's province.") % {"code": unit_code}
            )
            continue
        number = c.number_at(goal, where)
        if number is not None:
            whole = number == number.to_integral_value()
            checked_allocations[str(unit_code)] = int(number) if whole else float(number)
    text = c.text(spec, "text", path, required=True)
    return {
        "code": code,
        "text": text,
        "short": (c.text(spec, "short", path) or text)[:120],
        "short_en": c.text(spec, "short_en", path)[:120],
        "kind": kind,
        **values,
        "denominator": denominator,
        "unit_label": c.text(spec, "unit_label", path)[:120],
        "indicator_code": c.text(spec, "indicator_code", path)[:40],
        "extra": spec.get("extra") if isinstance(spec.get("extra"), dict) else None,
        "applies_at": levels,
        "scaling": scaling,
        "allocations": checked_allocations,
        "_responsible": c.agencies(spec.get("responsible"), f"{path}.responsible", catalog),
        "_parent": spec.get("parent"),
    }


def check(
    data: Any,
    catalog: dict[str, Agency] | None = None,
    unit_codes: set[str] | None = None,
) -> dict[str, Any]:
    """The content checked and normalised; raises :class:`StructureError` naming each fault.
    ``unit_codes``: the units allocations may name (the plan's province); None = unchecked."""
    c = _Checker()
    if not isinstance(data, dict):
        raise StructureError({"": _("The content of a plan must be an object.")})
    catalog = catalog if catalog is not None else {a.code: a for a in Agency.objects.all()}
    out: dict[str, Any] = {"objectives": c.texts(data.get("objectives"), "objectives")}
    targets = data.get("targets") or []
    if not isinstance(targets, list) or len(targets) > MAX_ITEMS:
        c.fail("targets", _("Enter a list of at most 200 targets."))
        targets = []
    out["targets"] = [
        _check_target(c, t, f"targets[{i}]", catalog, unit_codes) for i, t in enumerate(targets)
    ]
    codes = [t.get("code") for t in out["targets"]]
    for i, code in enumerate(codes):
        if code and codes.index(code) != i:
            c.fail(f"targets[{i}].code", _("Two targets have the code %(code)s.") % {"code": code})
    areas = data.get("solution_areas") or []
    if not isinstance(areas, list) or len(areas) > MAX_ITEMS:
        c.fail("solution_areas", _("Enter a list of solution areas."))
        areas = []
    out["solution_areas"] = []
    for i, spec in enumerate(areas):
        path = f"solution_areas[{i}]"
        if not isinstance(spec, dict):
            c.fail(path, _("Enter a solution area."))
            continue
        subsections = spec.get("subsections") or []
        if not isinstance(subsections, list) or not all(isinstance(s, dict) for s in subsections):
            c.fail(f"{path}.subsections", _("Enter a list of subsections."))
            subsections = []
        out["solution_areas"].append(
            {
                "number": str(spec.get("number") or i + 1)[:10],
                "title": c.text(spec, "title", path, required=True)[:300],
                "items": c.texts(spec.get("items"), f"{path}.items"),
                "subsections": [
                    {
                        "label": str(s.get("label") or "")[:10],
                        "title": c.text(s, "title", f"{path}.subsections[{j}]")[:300],
                        "items": c.texts(s.get("items"), f"{path}.subsections[{j}].items"),
                    }
                    for j, s in enumerate(subsections)
                ],
            }
        )
    groups = data.get("tasks") or []
    if not isinstance(groups, list) or len(groups) > MAX_ITEMS:
        c.fail("tasks", _("Enter a list of task headings."))
        groups = []
    out["tasks"] = []
    for i, spec in enumerate(groups):
        path = f"tasks[{i}]"
        if not isinstance(spec, dict):
            c.fail(path, _("Enter a task heading."))
            continue
        agencies = c.agencies(spec.get("agencies"), f"{path}.agencies", catalog)
        lead = c.agencies([spec["lead"]] if spec.get("lead") else [], f"{path}.lead", catalog)
        if lead and lead[0] not in agencies:
            agencies = [lead[0], *agencies]
        items = c.texts(spec.get("items"), f"{path}.items")
        deadlines = spec.get("item_deadlines") or []
        if not isinstance(deadlines, list):
            deadlines = []
        out["tasks"].append(
            {
                "number": str(spec.get("number") or i + 1)[:10],
                "heading": c.text(spec, "heading", path, required=True)[:300],
                "intro": c.text(spec, "intro", path),
                "_agencies": agencies,
                "_lead": lead[0] if lead else None,
                "deadline": c.date(spec.get("deadline"), f"{path}.deadline"),
                "deadline_note": c.text(spec, "deadline_note", path)[:120],
                "items": items,
                "item_deadlines": [
                    c.date(deadlines[j] if j < len(deadlines) else None, f"{path}.items[{j}]")
                    for j in range(len(items))
                ],
            }
        )
        if not agencies:
            c.fail(f"{path}.agencies", _("Name at least one agency."))
    numbers = [g["number"] for g in out["tasks"]]
    for i, number in enumerate(numbers):
        if numbers.index(number) != i:
            c.fail(f"tasks[{i}].number", _("Two headings have the number %(n)s.") % {"n": number})
    funding = data.get("funding") or {}
    out["funding"] = c.texts(
        funding.get("items") if isinstance(funding, dict) else funding, "funding"
    )
    out["recipients"] = c.texts(data.get("recipients"), "recipients")
    bases = data.get("legal_bases") or []
    if not isinstance(bases, list) or not all(isinstance(b, dict) for b in bases):
        c.fail("legal_bases", _("Enter a list of legal bases."))
        bases = []
    out["legal_bases"] = [
        {k: (_date(v) if k == "date" else str(v or "")[:300]) for k, v in b.items()}
        for b in bases[:MAX_ITEMS]
    ]
    for key in ("preamble", "closing"):
        out[key] = c.text(data, key, "")
    if c.errors:
        raise StructureError(c.errors)
    return out


def _referenced_groups(plan: Plan) -> set[str]:
    """Headings that agencies reported on (taskreports.TaskReport, reverse relation)."""
    return set(plan.task_reports.values_list("group_number", flat=True))


def _referenced_targets(plan: Plan) -> set[int]:
    return set(
        Target.objects.filter(plan=plan, serving_targets__isnull=False).values_list("pk", flat=True)
    )


def apply_data(plan: Plan, content: dict[str, Any]) -> None:
    """Write checked content (from :func:`check`) onto a saved plan; keeps referenced rows."""
    plan.legal_bases = content["legal_bases"]
    plan.funding = content["funding"]
    plan.recipients = content["recipients"]
    plan.preamble = content["preamble"]
    plan.closing = content["closing"]
    plan.save(update_fields=["legal_bases", "funding", "recipients", "preamble", "closing"])
    plan.objectives.all().delete()
    Objective.objects.bulk_create(
        Objective(plan=plan, order=i, text=t) for i, t in enumerate(content["objectives"], 1)
    )
    plan.solution_areas.all().delete()
    SolutionArea.objects.bulk_create(
        SolutionArea(
            plan=plan,
            number=spec["number"],
            order=i,
            title=spec["title"],
            items=spec["items"],
            subsections=spec["subsections"],
        )
        for i, spec in enumerate(content["solution_areas"], 1)
    )
    _apply_targets(plan, content["targets"])
    _apply_groups(plan, content["tasks"])


def _apply_targets(plan: Plan, specs: list[dict[str, Any]]) -> None:
    existing = {t.code: t for t in plan.targets.all()}
    # an issued plan's targets are what its results and versions were judged against: kept
    keep = {t.pk for t in existing.values()} if plan.is_binding else _referenced_targets(plan)
    # codes are unique per plan: park the ones about to be reordered out of the way
    for i, spec in enumerate(specs, 1):
        values = {k: v for k, v in spec.items() if not k.startswith("_")}
        target = existing.pop(spec["code"], None)
        parent = Target.objects.filter(pk=spec["_parent"]).first() if spec["_parent"] else None
        if parent is not None and parent.plan_id == plan.pk:
            parent = None  # a target serves a higher plan's target, never its own plan's
        if target is None:
            target = Target.objects.create(plan=plan, order=i, parent=parent, **values)
        else:
            for k, v in values.items():
                setattr(target, k, v)
            target.order, target.withdrawn, target.parent = i, False, parent
            target.save()
        target.responsible.set(spec["_responsible"])
    for target in existing.values():
        if target.pk in keep:
            if not target.withdrawn:
                target.withdrawn = True
                target.order = 1000 + target.order
                target.save(update_fields=["withdrawn", "order"])
        else:
            target.delete()


def _apply_groups(plan: Plan, specs: list[dict[str, Any]]) -> None:
    existing = {g.number: g for g in plan.task_groups.all()}
    keep = set(existing) if plan.is_binding else _referenced_groups(plan)
    for i, spec in enumerate(specs, 1):
        group = existing.pop(spec["number"], None)
        values = {
            "heading": spec["heading"],
            "intro": spec["intro"],
            "lead": spec["_lead"],
            "deadline": spec["deadline"],
            "deadline_note": spec["deadline_note"],
        }
        if group is None:
            group = TaskGroup.objects.create(plan=plan, number=spec["number"], order=i, **values)
        else:
            for k, v in values.items():
                setattr(group, k, v)
            group.order, group.withdrawn = i, False
            group.save()
        group.agencies.set(spec["_agencies"])
        group.tasks.all().delete()
        Task.objects.bulk_create(
            Task(group=group, order=j, text=text, deadline=deadline)
            for j, (text, deadline) in enumerate(
                zip(spec["items"], spec["item_deadlines"], strict=True), 1
            )
        )
    for group in existing.values():
        if group.number in keep:
            if not group.withdrawn:
                group.withdrawn = True
                group.order = 1000 + group.order
                group.save(update_fields=["withdrawn", "order"])
        else:
            group.delete()
