"""Writes to plans. Each action is one transaction with one audit row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from pcmd.accounts.permissions import require
from pcmd.agencies.models import Agency
from pcmd.core import audit
from pcmd.geo.models import Unit, UnitLevel

from .models import (
    ALL_LEVELS,
    Objective,
    Plan,
    SolutionArea,
    Target,
    TargetScaling,
    Task,
    TaskGroup,
)

DATA_DIR = Path(__file__).with_name("data")


def _scaling(spec: dict[str, Any]) -> dict[str, Any]:
    """The target's levels and scaling from its YAML entry, checked (a clear error names it)."""
    code = spec.get("code", "?")
    levels = spec.get("applies_at") or list(ALL_LEVELS)
    scaling = spec.get("scaling") or TargetScaling.SHARE
    allocations = spec.get("allocations") or {}
    if not isinstance(levels, list) or any(level not in ALL_LEVELS for level in levels):
        raise ValueError(f"Target {code}: applies_at must list levels among {ALL_LEVELS}.")
    if scaling not in TargetScaling.values:
        raise ValueError(f"Target {code}: scaling must be one of {TargetScaling.values}.")
    if scaling == TargetScaling.PROVINCE_ONLY and levels != ["province"]:
        raise ValueError(f"Target {code}: a province_only target applies at [province] only.")
    if not isinstance(allocations, dict) or (
        scaling == TargetScaling.ALLOCATION and not allocations
    ):
        raise ValueError(f"Target {code}: allocations must map unit codes to goals.")
    return {
        "applies_at": levels,
        "scaling": scaling,
        "allocations": {str(k): v for k, v in allocations.items()},
    }


@transaction.atomic
def import_plan(path: Path | str, *, actor: Any) -> Plan:
    """Create or replace a plan from its YAML transcription (see data/kh-1842-2018.yaml).

    ``actor=None`` is the system (set-up commands).
    """
    require(actor, "plan.edit")
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    province = Unit.objects.get(
        code=data["province_code"], level=UnitLevel.PROVINCE, valid_from=None
    )
    agencies = {a.code: a for a in Agency.objects.all()}
    plan, created = Plan.objects.update_or_create(
        number=data["number"],
        unit=province,
        defaults={
            "kind": data["kind"],
            "title": data["title"],
            "issued_on": data["issued_on"],
            "place": data["place"],
            "issuer": agencies[data["issuer_agency"]],
            "signer_name": data["signer"]["name"],
            "signer_authority": data["signer"].get("authority", ""),
            "signer_title": data["signer"]["title"],
            "period_start": data["period"]["start"],
            "period_end": data["period"]["end"],
            "preamble": data.get("preamble", ""),
            "legal_bases": [{**b, "date": str(b["date"])} for b in data.get("legal_bases", [])],
            "funding": data.get("funding", {}).get("items", []),
            "recipients": data.get("recipients", []),
            "closing": data.get("closing", ""),
        },
    )
    plan.objectives.all().delete()
    plan.targets.all().delete()
    plan.solution_areas.all().delete()
    plan.task_groups.all().delete()
    Objective.objects.bulk_create(
        Objective(plan=plan, order=i, text=t) for i, t in enumerate(data["objectives"], 1)
    )
    for i, spec in enumerate(data["targets"], 1):
        target = Target.objects.create(
            plan=plan,
            code=spec["code"],
            order=i,
            text=spec["text"],
            short=spec["short"],
            short_en=spec.get("short_en", ""),
            kind=spec["kind"],
            value=spec.get("value"),
            value_min=spec.get("value_min"),
            value_max=spec.get("value_max"),
            denominator=spec.get("denominator"),
            unit_label=spec.get("unit_label", ""),
            extra=spec.get("extra"),
            **_scaling(spec),
        )
        target.responsible.set([agencies[c] for c in spec.get("responsible", [])])
    for i, spec in enumerate(data["solution_areas"], 1):
        SolutionArea.objects.create(
            plan=plan,
            number=str(spec["number"]),
            order=i,
            title=spec["title"],
            items=spec.get("items", []),
            subsections=spec.get("subsections") or [],
        )
    for i, spec in enumerate(data["tasks"], 1):
        group = TaskGroup.objects.create(
            plan=plan,
            number=str(spec["number"]),
            order=i,
            heading=spec["heading"],
            intro=spec.get("intro") or "",
        )
        group.agencies.set([agencies[c] for c in spec["agencies"]])
        Task.objects.bulk_create(
            Task(group=group, order=j, text=t) for j, t in enumerate(spec["items"], 1)
        )
    audit.record(
        actor=actor,
        verb="plan.import",
        obj=plan,
        changes={"source": [None, Path(path).name], "created": [None, created]},
    )
    return plan
