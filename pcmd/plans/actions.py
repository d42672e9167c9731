"""Writes to plans. Each action is one transaction with one audit row and, when it changes the
plan, one new version (``PlanVersion``: the whole plan as it then stood).

Lifecycle: draft → under review (submitted by the standing office, the agencies comment) →
issued (by the People's Committee, with number, date and signer) → in force over its period
→ closed. A draft may go back from review to draft; an issued plan is never edited again: the
next year's plan is a new draft copied from it.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from pcmd.accounts.permissions import allows, is_administrator, require
from pcmd.agencies.models import Agency
from pcmd.core import audit, yamldata
from pcmd.core.concurrency import EditConflict
from pcmd.geo.models import Unit, UnitLevel
from pcmd.geo.subtree import paths_q, under_q

from .models import EDITABLE, Plan, PlanComment, PlanStatus, PlanType, PlanVersion, TargetScaling
from .selectors import provinces_of
from .structure import apply_data, check, to_data

DATA_DIR = Path(__file__).with_name("data")
EARLIEST = datetime.date(2000, 1, 1)

# Header fields an editor may change on a draft, and their limits.
HEADER = {
    "title": 300,
    "place": 80,
    "kind": 10,
    "signer_name": 120,
    "signer_authority": 80,
    "signer_title": 80,
    "issuer_name": 200,
}


def _snapshot(plan: Plan, actor: Any, note: str) -> PlanVersion:
    last = plan.versions.aggregate(n=Max("number"))["n"] or 0
    return PlanVersion.objects.create(
        plan=plan,
        number=last + 1,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        status=plan.status,
        note=note[:300],
        data=to_data(plan),
    )


def _check_version(plan: Plan, version: int | None) -> None:
    """The change was made on what the editor read: someone else's save since → conflict."""
    if version is not None and version != plan.version:
        raise EditConflict(plan)


def _bump(plan: Plan) -> None:
    """One more edit of the plan (the version the next editor must send back)."""
    plan.version += 1
    plan.updated_at = timezone.now()
    plan.save(update_fields=["version", "updated_at"])


def _editable(plan: Plan) -> None:
    if plan.status not in EDITABLE:
        raise ValidationError(
            _("An issued plan is not changed: copy it into a new draft for the next period.")
        )


def _lock(plan: Plan) -> Plan:
    return Plan.objects.select_for_update().get(pk=plan.pk)


def _period(start: Any, end: Any) -> tuple[datetime.date, datetime.date]:
    errors = {}
    if not isinstance(start, datetime.date) or start < EARLIEST:
        errors["period_start"] = _("Enter the first day of the plan's period (from 2000).")
    if not isinstance(end, datetime.date) or end > datetime.date(2100, 12, 31):
        errors["period_end"] = _("Enter the last day of the plan's period.")
    if not errors and end < start:
        errors["period_end"] = _("The period cannot end before it starts.")
    if errors:
        raise ValidationError(errors)
    return start, end


# ---- import from a YAML transcription (set-up) ----------------------------------------------


@transaction.atomic
def import_plan(path: Path | str, *, actor: Any) -> Plan:
    """Create or update an issued plan from its YAML transcription (data/kh-1842-2018.yaml).

    Re-importing updates the plan in place: targets and headings that data refers to are kept
    (withdrawn when the file no longer has them) and a new version is recorded.
    ``actor=None`` is the system (set-up commands).
    """
    with open(path, encoding="utf-8") as fh:
        data = yamldata.load(fh)
    # No province_code: a national programme (361/QĐ-TTg, 1629/QĐ-TTg), issued by a body
    # outside the province's agency catalog (``issuer_name``); only an administrator loads it.
    national = not data.get("province_code")
    province = None
    if national:
        if actor is not None and not is_administrator(actor):
            raise PermissionDenied
    else:
        province = Unit.objects.get(
            code=data["province_code"], level=UnitLevel.PROVINCE, valid_from=None
        )
        require(actor, "plan.edit", unit=province)
    catalog = {a.code: a for a in Agency.objects.all()}
    _keep_target_links(data, Plan.objects.filter(number=data["number"], unit=province).first())
    content = check(data, catalog, province_unit_codes(province))
    plan, created = Plan.objects.update_or_create(
        number=data["number"],
        unit=province,
        defaults={
            "kind": data["kind"],
            "plan_type": PlanType.NATIONAL
            if national
            else (data.get("plan_type") or PlanType.YEARLY),
            "status": PlanStatus.ISSUED,
            "title": data["title"],
            "issued_on": data["issued_on"],
            "place": data["place"],
            "issuer": catalog[data["issuer_agency"]] if data.get("issuer_agency") else None,
            "issuer_name": data.get("issuer_name") or "",
            "signer_name": data["signer"].get("name") or "",
            "signer_authority": data["signer"].get("authority") or "",
            "signer_title": data["signer"].get("title") or "",
            "period_start": data["period"]["start"],
            "period_end": data["period"]["end"],
        },
    )
    apply_data(plan, content)
    if plan.unit_id:
        link_indicators(plan)
    if not created:
        _bump(plan)
    _snapshot(plan, actor, _("Imported from %(file)s") % {"file": Path(path).name})
    audit.record(
        actor=actor,
        verb="plan.import",
        obj=plan,
        changes={"source": [None, Path(path).name], "created": [None, created]},
    )
    return plan


def _keep_target_links(data: dict[str, Any], plan: Plan | None) -> None:
    """A transcription names no higher targets: on re-import, its targets keep the links to the
    targets they serve (set by :func:`link_to_programme`) instead of losing them."""
    if plan is None or not isinstance(data.get("targets"), list):
        return
    links = dict(plan.targets.filter(parent__isnull=False).values_list("code", "parent_id"))
    for spec in data["targets"]:
        if isinstance(spec, dict) and "parent" not in spec and spec.get("code") in links:
            spec["parent"] = links[spec["code"]]


@transaction.atomic
def link_to_programme(
    plan: Plan, programme: Plan, *, actor: Any, targets: dict[str, str] | None = None
) -> Plan:
    """Record that ``plan`` implements ``programme`` (a national programme or a province's
    programme plan) and which of its targets serve which of the programme's (code → code).
    Traceability only: the plan's wording and values are not changed, even once issued."""
    plan = _lock(plan)
    require(actor, "plan.edit", obj=plan)
    if programme.pk == plan.pk or programme.plan_type == PlanType.YEARLY:
        raise ValidationError({"parent": _("Choose a programme that the plan implements.")})
    higher = {t.code: t for t in programme.targets.all()}
    changes: dict[str, list[Any]] = {"parent": [plan.parent_id, programme.pk]}
    for code, parent_code in (targets or {}).items():
        target = plan.targets.filter(code=code).first()
        if target is None or parent_code not in higher:
            raise ValidationError(
                {"targets": _("No target %(code)s to link.") % {"code": f"{code}/{parent_code}"}}
            )
        target.parent = higher[parent_code]
        target.save(update_fields=["parent"])
        changes[f"target {code}"] = [None, parent_code]
    plan.parent = programme
    plan.save(update_fields=["parent"])
    _bump(plan)
    _snapshot(plan, actor, _("Linked to %(plan)s") % {"plan": programme.number})
    audit.record(actor=actor, verb="plan.link", obj=plan, changes=changes)
    return plan


def link_indicators(plan: Plan) -> None:
    """Give the plan's targets without an indicator the one the indicator definitions name
    for their code (pcmd/indicators/data/indicators.yaml, ``targets:``)."""
    from pcmd.indicators.actions import DEFINITIONS

    with open(DEFINITIONS, encoding="utf-8") as fh:
        mapping = (yamldata.load(fh) or {}).get("targets") or {}
    for code, indicator_code in mapping.items():
        plan.targets.filter(code=code, indicator_code="").update(indicator_code=indicator_code)


# ---- drafting -------------------------------------------------------------------------------


@transaction.atomic
def copy_plan(
    source: Plan,
    *,
    actor: Any,
    period_start: datetime.date,
    period_end: datetime.date,
    title: str = "",
    unit: Unit | None = None,
    plan_type: str = PlanType.YEARLY,
) -> Plan:
    """A new draft with the source's content (last year's plan): targets, solution areas,
    headings and tasks are copies; the source and the data recorded under it are untouched.
    ``unit``: the province of the new plan (default the source's; after the 2025 reform, the
    new province)."""
    unit = unit or source.unit
    if unit is None or unit.level != UnitLevel.PROVINCE:
        raise ValidationError({"unit": _("Choose the province of the plan.")})
    require(actor, "plan.edit", unit=unit)
    period_start, period_end = _period(period_start, period_end)
    if not unit.is_valid_on(period_start) or not unit.is_valid_on(period_end):
        raise ValidationError(
            {
                "unit": _(
                    "This province did not exist over the whole period: choose the province of that time."
                )
            }
        )
    if plan_type not in PlanType.values or plan_type == PlanType.NATIONAL:
        raise ValidationError({"plan_type": _("Choose a yearly or programme plan.")})
    if not title.strip():
        title = source.title
        for year in {str(source.period_start.year), str(source.period_end.year)}:
            title = title.replace(year, str(period_start.year))
    data = to_data(source)
    catalog = province_catalog(unit)
    dropped = _to_province(data, catalog, unit)
    unit_codes = province_unit_codes(unit)
    for target in data["targets"]:  # another province's units mean nothing here
        kept = {
            k: v for k, v in (target.get("allocations") or {}).items() if k in (unit_codes or ())
        }
        target["allocations"] = kept or None
        if not kept and target.get("scaling") == TargetScaling.ALLOCATION:
            target["scaling"] = TargetScaling.SHARE
    content = check(data, catalog, unit_codes)
    plan = Plan.objects.create(
        number="",
        kind=source.kind,
        plan_type=plan_type,
        status=PlanStatus.DRAFT,
        title=title.strip()[:300],
        issued_on=None,
        place=source.place,
        unit=unit,
        issuer=source.issuer if source.unit_id == unit.pk else _peoples_committee(unit),
        issuer_name=source.issuer_name,
        signer_name="",
        signer_authority=source.signer_authority,
        signer_title=source.signer_title,
        period_start=period_start,
        period_end=period_end,
        # the programme it implements, while the programme still runs
        parent=source.parent
        if source.parent and source.parent.period_end >= period_start
        else None,
        copied_from=source,
    )
    apply_data(plan, content)
    # targets serve the same higher targets as the ones they were copied from
    for target in plan.targets.all():
        original = source.targets.filter(code=target.code).first()
        if original is not None and original.parent_id and plan.parent_id:
            target.parent_id = original.parent_id
            target.save(update_fields=["parent"])
    note = _("Drafted from %(plan)s") % {"plan": source.number or source.title}
    if dropped:
        note += "; " + _("%(n)s heading(s) naming no agency of this province left out") % {
            "n": dropped
        }
    _snapshot(plan, actor, note)
    audit.record(actor=actor, verb="plan.copy", obj=plan, changes={"source": [None, source.pk]})
    return plan


@transaction.atomic
def create_draft(
    unit: Unit,
    header: dict[str, Any],
    data: dict[str, Any],
    *,
    actor: Any,
    note: str = "",
) -> Plan:
    """A new draft for ``unit``'s province from content in the shape of :mod:`.structure`
    (a proposal read from a document, an API client). ``header``: title, period_start,
    period_end and optionally plan_type, kind, place, signer_authority, signer_title."""
    if unit is None or unit.level != UnitLevel.PROVINCE:
        raise ValidationError({"unit": _("Choose the province of the plan.")})
    require(actor, "plan.edit", unit=unit)
    start, end = _period(header.get("period_start"), header.get("period_end"))
    title = str(header.get("title") or "").strip()
    if not title:
        raise ValidationError({"title": _("This field is required.")})
    plan_type = header.get("plan_type") or PlanType.YEARLY
    if plan_type not in (PlanType.YEARLY, PlanType.PROGRAMME):
        raise ValidationError({"plan_type": _("Choose a yearly or programme plan.")})
    content = check(data, province_catalog(unit), province_unit_codes(unit))
    plan = Plan.objects.create(
        number="",
        kind=str(header.get("kind") or "KH")[:10],
        plan_type=plan_type,
        status=PlanStatus.DRAFT,
        title=title[:300],
        place=str(header.get("place") or unit.short_name or unit.name)[:80],
        unit=unit,
        issuer=_peoples_committee(unit),
        signer_name="",
        signer_authority=str(header.get("signer_authority") or "")[:80],
        signer_title=str(header.get("signer_title") or "")[:80],
        period_start=start,
        period_end=end,
    )
    apply_data(plan, content)
    _snapshot(plan, actor, note or _("Draft created"))
    audit.record(actor=actor, verb="plan.create", obj=plan)
    return plan


def _peoples_committee(unit: Unit) -> Agency | None:
    """The province's People's Committee (recorded on the province, or on the province it
    came from across the 2025 reform)."""
    return (
        Agency.objects.filter(unit_id__in=provinces_of(unit), kind="ubnd", level=UnitLevel.PROVINCE)
        .order_by(F("valid_to").desc(nulls_first=True), "pk")
        .first()
    )


def province_catalog(unit: Unit | None) -> dict[str, Agency]:
    """The agencies a plan of ``unit``'s province may name: those of the province (with the
    provinces it came from or became in 2025). A national programme names none."""
    if unit is None:
        return {}
    paths = list(Unit.objects.filter(pk__in=provinces_of(unit)).values_list("path", flat=True))
    return {a.code: a for a in Agency.objects.filter(under_q("unit", paths))}


def check_for(plan: Plan, data: dict[str, Any]) -> dict[str, Any]:
    """``structure.check`` with the plan's province: its agencies and its units."""
    catalog = province_catalog(plan.unit) if plan.unit else None
    return check(data, catalog, province_unit_codes(plan.unit))


def province_unit_codes(unit: Unit | None) -> set[str] | None:
    """The codes of the units a plan of ``unit``'s province may allocate goals to (the
    province's units before and after 2025); None for a national programme (unchecked)."""
    if unit is None:
        return None
    paths = list(Unit.objects.filter(pk__in=provinces_of(unit)).values_list("path", flat=True))
    return set(Unit.objects.filter(paths_q(paths)).values_list("code", flat=True))


def _to_province(data: dict[str, Any], catalog: dict[str, Agency], province: Unit) -> int:
    """Map agency codes of another province's plan onto this province's catalog (template
    codes carry the province code: SO_YTE → SO_YTE_56); headings left with no agency are
    dropped. Returns how many were dropped."""

    def mapped(code: str) -> str | None:
        for candidate in (code, f"{code}_{province.code}", f"{code}_{province.code}L"):
            if candidate in catalog:
                return candidate
        return None

    for target in data["targets"]:
        target["responsible"] = [c for c in map(mapped, target["responsible"]) if c]
    kept = []
    for group in data["tasks"]:
        group["agencies"] = [c for c in map(mapped, group["agencies"]) if c]
        group["lead"] = mapped(group["lead"]) if group.get("lead") else None
        if group["agencies"]:
            kept.append(group)
    dropped = len(data["tasks"]) - len(kept)
    data["tasks"] = kept
    return dropped


@transaction.atomic
def update_header(
    plan: Plan, values: dict[str, Any], *, actor: Any, version: int | None = None
) -> Plan:
    """Change the draft's title, place, period, signer, parent plan, preamble or closing."""
    plan = _lock(plan)
    require(actor, "plan.edit", obj=plan)
    _editable(plan)
    _check_version(plan, version)
    changes: dict[str, list[Any]] = {}
    for field, limit in HEADER.items():
        if field in values:
            value = str(values[field] or "").strip()
            if field == "title" and not value:
                raise ValidationError({"title": _("This field is required.")})
            if len(value) > limit:
                raise ValidationError({field: _("The text is too long.")})
            changes[field] = [getattr(plan, field), value]
            setattr(plan, field, value)
    for field in ("preamble", "closing"):
        if field in values:
            changes[field] = [None, "…"]
            setattr(plan, field, str(values[field] or "").strip()[:20_000])
    if "period_start" in values or "period_end" in values:
        start, end = _period(
            values.get("period_start", plan.period_start), values.get("period_end", plan.period_end)
        )
        changes["period"] = [f"{plan.period_start}–{plan.period_end}", f"{start}–{end}"]
        plan.period_start, plan.period_end = start, end
    if "parent" in values:
        parent = values["parent"]
        if parent is not None and (parent.pk == plan.pk or not parent.is_binding):
            raise ValidationError({"parent": _("Choose an issued plan or programme.")})
        changes["parent"] = [plan.parent_id, parent.pk if parent else None]
        plan.parent = parent
    plan.save()
    _bump(plan)
    _snapshot(plan, actor, _("Header changed"))
    audit.record(actor=actor, verb="plan.edit", obj=plan, changes=changes)
    return plan


@transaction.atomic
def save_content(
    plan: Plan,
    data: dict[str, Any],
    *,
    actor: Any,
    version: int | None = None,
    note: str = "",
) -> Plan:
    """Replace the draft's content (objectives, targets, solution areas, funding, headings and
    tasks, recipients) with ``data`` in the shape of :mod:`.structure`. The pages edit one part
    at a time by reading :func:`to_data`, changing the part and saving it back here."""
    plan = _lock(plan)
    require(actor, "plan.edit", obj=plan)
    _editable(plan)
    _check_version(plan, version)
    before = to_data(plan)
    content = check_for(plan, {**before, **data})
    apply_data(plan, content)
    _bump(plan)
    _snapshot(plan, actor, note or _("Content changed"))
    audit.record(
        actor=actor,
        verb="plan.edit",
        obj=plan,
        changes={k: [None, "…"] for k in data if before.get(k) != data.get(k)},
    )
    return plan


# ---- review and issue -----------------------------------------------------------------------


@transaction.atomic
def comment(
    plan: Plan, text: str, *, actor: Any, about: str = "", agency: Agency | None = None
) -> PlanComment:
    """An agency consulted comments on a draft under review (or a draft shared early)."""
    require(actor, "plan.comment", unit=plan.unit)
    if plan.status not in EDITABLE:
        raise ValidationError(_("Comments are taken while the plan is a draft or under review."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the comment.")})
    if len(text) > 5000:
        raise ValidationError({"text": _("The text is too long.")})
    if agency is None:
        assignment = next((a for a in actor.active_assignments if a.agency_id), None)
        agency = assignment.agency if assignment else None
    note = PlanComment.objects.create(
        plan=plan, author=actor, agency=agency, about=(about or "")[:20], text=text
    )
    audit.record(actor=actor, verb="plan.comment", obj=plan, changes={"comment": [None, note.pk]})
    return note


@transaction.atomic
def resolve_comment(note: PlanComment, *, actor: Any, resolved: bool = True) -> PlanComment:
    require(actor, "plan.edit", obj=note.plan)
    note.resolved = resolved
    note.save(update_fields=["resolved"])
    audit.record(
        actor=actor,
        verb="plan.comment_resolved",
        obj=note.plan,
        changes={"comment": [note.pk, resolved]},
    )
    return note


@transaction.atomic
def submit(plan: Plan, *, actor: Any, version: int | None = None) -> Plan:
    """The standing office sends the draft for review and issue."""
    plan = _lock(plan)
    require(actor, "plan.edit", obj=plan)
    _check_version(plan, version)
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(_("Only a draft can be submitted."))
    problems = []
    if not plan.targets.filter(withdrawn=False).exists():
        problems.append(_("The plan has no target."))
    if not plan.task_groups.filter(withdrawn=False).exists():
        problems.append(_("The plan assigns no task (Section IV)."))
    if problems:
        raise ValidationError(problems)
    plan.status = PlanStatus.REVIEW
    plan.save(update_fields=["status"])
    _bump(plan)
    _snapshot(plan, actor, _("Submitted for issue"))
    audit.record(actor=actor, verb="plan.submit", obj=plan)
    return plan


@transaction.atomic
def return_to_draft(plan: Plan, *, actor: Any, reason: str, version: int | None = None) -> Plan:
    """The People's Committee (or the standing office) sends the draft back with a reason."""
    plan = _lock(plan)
    if not allows(actor, "plan.edit", obj=plan):
        require(actor, "plan.issue", obj=plan)
    _check_version(plan, version)
    if plan.status != PlanStatus.REVIEW:
        raise ValidationError(_("Only a plan under review can be sent back."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Write why the draft goes back.")})
    plan.status = PlanStatus.DRAFT
    plan.save(update_fields=["status"])
    _bump(plan)
    _snapshot(plan, actor, _("Sent back: %(reason)s") % {"reason": reason.strip()[:250]})
    audit.record(actor=actor, verb="plan.return", obj=plan, reason=reason.strip())
    return plan


@transaction.atomic
def issue(
    plan: Plan,
    *,
    actor: Any,
    number: str,
    issued_on: datetime.date,
    signer_name: str,
    signer_title: str,
    signer_authority: str = "",
    version: int | None = None,
) -> Plan:
    """The People's Committee issues the plan under review: number, date and signer."""
    plan = _lock(plan)
    require(actor, "plan.issue", obj=plan)
    _check_version(plan, version)
    if plan.status != PlanStatus.REVIEW:
        raise ValidationError(_("Only a plan under review can be issued."))
    errors = {}
    number = (number or "").strip()
    if not number:
        errors["number"] = _("Enter the plan's number (e.g. 1842/KH-UBND).")
    elif len(number) > 40:
        errors["number"] = _("The text is too long.")
    elif Plan.objects.filter(unit=plan.unit, number=number).exclude(pk=plan.pk).exists():
        errors["number"] = _("Another plan of the province has this number.")
    rival = _rival(plan)
    if rival is not None:
        errors["number"] = _(
            "Plan %(number)s is already issued for this period: close it first, or change "
            "the period of this draft."
        ) % {"number": rival.number}
    if not isinstance(issued_on, datetime.date) or issued_on < EARLIEST:
        errors["issued_on"] = _("Enter the date of issue.")
    elif issued_on > timezone.localdate():
        errors["issued_on"] = _("The date lies in the future.")
    if not (signer_name or "").strip():
        errors["signer_name"] = _("Enter who signs the plan.")
    if not (signer_title or "").strip():
        errors["signer_title"] = _("Enter the signer's title.")
    if errors:
        raise ValidationError(errors)
    plan.number = number
    plan.issued_on = issued_on
    plan.signer_name = signer_name.strip()[:120]
    plan.signer_title = signer_title.strip()[:80]
    plan.signer_authority = (signer_authority or "").strip()[:80]
    plan.status = PlanStatus.ISSUED
    plan.save(
        update_fields=[
            "number",
            "issued_on",
            "signer_name",
            "signer_title",
            "signer_authority",
            "status",
        ]
    )
    _bump(plan)
    _snapshot(plan, actor, _("Issued as %(number)s") % {"number": number})
    audit.record(actor=actor, verb="plan.issue", obj=plan, changes={"number": [None, number]})
    return plan


def _rival(plan: Plan) -> Plan | None:
    """An issued plan of the same type for the same province whose period overlaps: two of
    them would leave the dashboard to pick one silently."""
    if plan.unit is None:
        return None
    return (
        Plan.objects.filter(
            unit_id__in=provinces_of(plan.unit),
            plan_type=plan.plan_type,
            status=PlanStatus.ISSUED,
        )
        .covering(plan.period_start, plan.period_end)
        .exclude(pk=plan.pk)
        .first()
    )


@transaction.atomic
def close(plan: Plan, *, actor: Any, version: int | None = None) -> Plan:
    """Close an issued plan before its period ends (replaced by another)."""
    plan = _lock(plan)
    require(actor, "plan.issue", obj=plan)
    _check_version(plan, version)
    if plan.status != PlanStatus.ISSUED:
        raise ValidationError(_("Only an issued plan can be closed."))
    plan.status = PlanStatus.CLOSED
    plan.save(update_fields=["status"])
    _bump(plan)
    _snapshot(plan, actor, _("Closed"))
    audit.record(actor=actor, verb="plan.close", obj=plan)
    return plan


@transaction.atomic
def delete_draft(plan: Plan, *, actor: Any, version: int | None = None) -> None:
    """A draft nobody reports against may be thrown away."""
    plan = _lock(plan)
    require(actor, "plan.edit", obj=plan)
    _check_version(plan, version)
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(_("Only a draft can be deleted."))
    referred = plan.targets.filter(serving_targets__isnull=False).exists()
    if referred or plan.task_reports.exists() or plan.implementing_plans.exists():
        raise ValidationError(_("Data refers to this draft: it cannot be deleted."))
    audit.record(actor=actor, verb="plan.delete", obj=plan, changes={"title": [plan.title, None]})
    plan.delete()
