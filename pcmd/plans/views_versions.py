"""A plan's version history: the list (who, when, what), one version's content and a
side-by-side comparison of two versions (which targets and headings changed)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest
from pcmd.web.common import query_int

from .models import PlanVersion
from .views_pages import readable_plan


def part_labels() -> dict[str, str]:
    return {
        "targets": _("Targets"),
        "solution_areas": _("Solutions"),
        "tasks": _("Task headings"),
        "objectives": _("Objectives"),
        "funding": _("Funding"),
        "recipients": _("Recipients"),
        "preamble": _("Preamble"),
        "closing": _("Closing"),
    }


def _rows(data: dict[str, Any], part: str, key: str) -> dict[str, dict[str, Any]]:
    rows = data.get(part) or []
    return {str(r.get(key)): r for r in rows if isinstance(r, dict)}


def _label(row: dict[str, Any] | None, part: str) -> str:
    if row is None:
        return ""
    if part == "targets":
        return str(row.get("short") or row.get("text") or "")
    return str(row.get("heading") or row.get("title") or "")


def compare(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """Per part (targets by code, headings by number, solution areas by number): each row with
    its state in both versions and whether it was added, removed, changed or kept."""
    parts = [("targets", "code"), ("solution_areas", "number"), ("tasks", "number")]
    out: list[dict[str, Any]] = []
    for part, key in parts:
        before, after = _rows(old, part, key), _rows(new, part, key)
        rows = []
        for ident in [*before, *[k for k in after if k not in before]]:
            a, b = before.get(ident), after.get(ident)
            if a is None:
                state = "added"
            elif b is None:
                state = "removed"
            else:
                state = "changed" if a != b else "same"
            fields = sorted(
                k for k in {*(a or {}), *(b or {})} if (a or {}).get(k) != (b or {}).get(k)
            )
            rows.append(
                {
                    "id": ident,
                    "state": state,
                    "old": _label(a, part),
                    "new": _label(b, part),
                    "fields": fields if state == "changed" else [],
                }
            )
        out.append({"part": part, "rows": rows})
    for part in ("objectives", "funding", "recipients", "preamble", "closing"):
        if old.get(part) != new.get(part):
            out.append({"part": part, "rows": []})
    labels = part_labels()
    for entry in out:
        entry["label"] = labels[entry["part"]]
    return out


@capability_required("plan.view")
def version_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = readable_plan(request.user, pk)
    versions = plan.versions.select_related("actor").defer("data")
    return render(request, "plans/versions.html", {"plan": plan, "versions": versions})


@capability_required("plan.view")
def version_detail(request: AuthenticatedHttpRequest, pk: int, number: int) -> HttpResponse:
    plan = readable_plan(request.user, pk)
    version = get_object_or_404(PlanVersion, plan=plan, number=number)
    return render(
        request, "plans/version.html", {"plan": plan, "version": version, "data": version.data}
    )


@capability_required("plan.view")
def version_compare(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = readable_plan(request.user, pk)
    numbers = list(plan.versions.values_list("number", flat=True))
    if not numbers:
        return render(request, "plans/compare.html", {"plan": plan, "numbers": []})
    newest = max(numbers)
    a = query_int(request, "a") or max(newest - 1, min(numbers))
    b = query_int(request, "b") or newest
    old = get_object_or_404(PlanVersion, plan=plan, number=a)
    new = get_object_or_404(PlanVersion, plan=plan, number=b)
    return render(
        request,
        "plans/compare.html",
        {
            "plan": plan,
            "numbers": sorted(numbers, reverse=True),
            "old": old,
            "new": new,
            "parts": compare(old.data, new.data),
        },
    )
