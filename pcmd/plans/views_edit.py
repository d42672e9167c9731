"""Drafting pages: a new draft from an existing plan (copy) and the editor of a draft, one
form per part (header; objectives, funding, recipients as lines; one target, solution area or
task heading at a time). Every form carries the plan's version: a save made on a stale page is
refused with the conflict message and the form keeps what the user typed."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pcmd.accounts.permissions import allows
from pcmd.agencies.models import Agency
from pcmd.core.concurrency import EditConflict
from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest
from pcmd.web.common import apply_errors, conflict_message, required_version

from . import actions
from .forms import AreaForm, CopyForm, HeaderForm, HeadingForm, LinesForm, TargetForm, lines
from .models import Plan
from .structure import StructureError, to_data
from .views_pages import readable_plan

# The parts edited one row at a time: data key, the row's identifier, form, and how the
# structure's field names map onto the form's.
PARTS: dict[str, tuple[str, str, type[forms.Form], dict[str, str]]] = {
    "targets": ("targets", "code", TargetForm, {}),
    "areas": ("solution_areas", "number", AreaForm, {}),
    "headings": ("tasks", "number", HeadingForm, {"agencies": "supporting"}),
}
# The parts edited as lines of text: data key (and sub-key).
LINE_PARTS: dict[str, tuple[str, str | None]] = {
    "objectives": ("objectives", None),
    "funding": ("funding", "items"),
    "recipients": ("recipients", None),
}


def part_titles() -> dict[str, str]:
    return {
        "targets": _("Target"),
        "areas": _("Solution area"),
        "headings": _("Task heading"),
        "objectives": _("General objectives"),
        "funding": _("Funding"),
        "recipients": _("Recipients"),
    }


def editable_plan(request: AuthenticatedHttpRequest, pk: int) -> Plan:
    """The draft ``pk`` if the user may edit it: 404 when unreadable, 403 without the right."""
    plan = readable_plan(request.user, pk)
    if not allows(request.user, "plan.edit", obj=plan):
        raise PermissionDenied
    return plan


def _closed(request: AuthenticatedHttpRequest, plan: Plan) -> HttpResponse:
    messages.error(
        request, _("An issued plan is not changed: copy it into a new draft for the next period.")
    )
    return redirect("plans:detail", plan.pk)


def _write(
    form: forms.Form,
    run: Callable[[], Any],
    *,
    prefix: str = "",
    rename: dict[str, str] | None = None,
) -> tuple[bool, bool]:
    """Run the save; errors go onto the form's fields (``targets[3].value`` → ``value`` when
    ``prefix`` is ``targets[3].``). Returns (saved, conflict)."""
    try:
        run()
    except EditConflict as exc:
        form.add_error(None, conflict_message(exc))
        return False, True
    except StructureError as exc:
        for path, message in exc.errors.items():
            name = path[len(prefix) :] if prefix and path.startswith(prefix) else ""
            name = name.split(".")[0].split("[")[0]
            name = (rename or {}).get(name, name)
            form.add_error(name if name in form.fields else None, message)
        return False, False
    except ValidationError as exc:
        apply_errors(form, exc)
        return False, False
    return True, False


def _refused(form: forms.Form, plan: Plan, conflict: bool) -> int:
    """After a refused save: the form shows the plan's current version, so that a second save
    (after the user has looked) goes through; 409 for a conflict, else 400."""
    plan.refresh_from_db(fields=["version"])
    if isinstance(form.data, QueryDict):
        data = form.data.copy()
        data["version"] = str(plan.version)
        form.data = data
    return 409 if conflict else 400


@capability_required("plan.edit")
def copy(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    source = readable_plan(request.user, pk)
    form = CopyForm(request.POST or None, user=request.user, source=source)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            result: list[Plan] = []
            saved, _conflict = _write(
                form,
                lambda: result.append(
                    actions.copy_plan(
                        source,
                        actor=request.user,
                        period_start=d["period_start"],
                        period_end=d["period_end"],
                        title=d["title"],
                        unit=d["unit"],
                    )
                ),
            )
            if saved:
                messages.success(request, _("The new draft was created."))
                return redirect("plans:edit", result[0].pk)
    return render(request, "plans/copy.html", {"source": source, "form": form}, status=status)


@capability_required("plan.edit")
def edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = editable_plan(request, pk)
    if not plan.is_editable:
        return _closed(request, plan)
    data = to_data(plan)
    return render(request, "plans/edit.html", {"plan": plan, "data": data})


@capability_required("plan.edit")
def edit_header(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = editable_plan(request, pk)
    if not plan.is_editable:
        return _closed(request, plan)
    initial = {
        "version": plan.version,
        **{
            f: getattr(plan, f)
            for f in (
                "title",
                "place",
                "period_start",
                "period_end",
                "preamble",
                "closing",
                "signer_title",
                "signer_authority",
            )
        },
        "parent": plan.parent_id,
    }
    form = HeaderForm(request.POST or None, plan=plan, user=request.user, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = dict(form.cleaned_data)
            version = d.pop("version")
            saved, conflict = _write(
                form, lambda: actions.update_header(plan, d, actor=request.user, version=version)
            )
            if saved:
                messages.success(request, _("Saved."))
                return redirect("plans:edit", plan.pk)
            status = _refused(form, plan, conflict)
    return _form_page(request, plan, form, _("Header"), status)


@capability_required("plan.edit")
def edit_lines(request: AuthenticatedHttpRequest, pk: int, part: str) -> HttpResponse:
    if part not in LINE_PARTS:
        raise Http404
    plan = editable_plan(request, pk)
    if not plan.is_editable:
        return _closed(request, plan)
    key, sub = LINE_PARTS[part]
    data = to_data(plan)
    current = data[key][sub] if sub else data[key]
    form = LinesForm(
        request.POST or None, initial={"version": plan.version, "text": "\n".join(current)}
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            entries = lines(form.cleaned_data["text"])
            value: Any = {sub: entries} if sub else entries
            version = form.cleaned_data["version"]
            saved, conflict = _write(
                form,
                lambda: actions.save_content(
                    plan, {key: value}, actor=request.user, version=version
                ),
                prefix=key,
                rename={"": "text"},
            )
            if saved:
                messages.success(request, _("Saved."))
                return redirect("plans:edit", plan.pk)
            status = _refused(form, plan, conflict)
    return _form_page(request, plan, form, part_titles()[part], status)


def _initial(part: str, row: dict[str, Any]) -> dict[str, Any]:
    """A row of the structure as a form's initial values."""
    if part == "targets":
        allocations = row.get("allocations") or {}
        return {
            **row,
            "allocations": "\n".join(f"{k} = {v}" for k, v in allocations.items()),
            "responsible": list(
                Agency.objects.filter(code__in=row.get("responsible") or []).values_list(
                    "pk", flat=True
                )
            ),
        }
    if part == "areas":
        subsections = []
        for s in row.get("subsections") or []:
            subsections.append(f"{s.get('label', '')}) {s.get('title', '')}")
            subsections.extend(s.get("items") or [])
        return {
            **row,
            "items": "\n".join(row.get("items") or []),
            "subsections": "\n".join(subsections),
        }
    codes = {a.code: a.pk for a in Agency.objects.filter(code__in=row.get("agencies") or [])}
    lead = row.get("lead") or (row.get("agencies") or [None])[0]
    deadline = row.get("deadline")
    return {
        **row,
        "lead": codes.get(lead) if lead else None,
        "supporting": [pk for code, pk in codes.items() if code != lead],
        "deadline": datetime.date.fromisoformat(deadline) if deadline else None,
        "items": "\n".join(row.get("items") or []),
    }


def _merge(part: str, old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """The edited row: the form's fields over what the form does not show (task deadlines by
    their text, the English label, further conditions)."""
    row = {**(old or {}), **new}
    if part == "headings":
        before = dict(
            zip(
                (old or {}).get("items") or [],
                (old or {}).get("item_deadlines") or [],
                strict=False,
            )
        )
        row["item_deadlines"] = [before.get(text) for text in row["items"]]
    return row


def _find(rows: list[dict[str, Any]], key: str, ident: str | None) -> int | None:
    if ident is None:
        return None
    for i, row in enumerate(rows):
        if str(row.get(key)) == ident:
            return i
    raise Http404


@capability_required("plan.edit")
def edit_row(
    request: AuthenticatedHttpRequest, pk: int, part: str, ident: str | None = None
) -> HttpResponse:
    """Add (``ident`` None) or change one target, solution area or task heading."""
    if part not in PARTS:
        raise Http404
    plan = editable_plan(request, pk)
    if not plan.is_editable:
        return _closed(request, plan)
    key, id_field, form_class, rename = PARTS[part]
    data = to_data(plan)
    rows: list[dict[str, Any]] = data[key]
    index = _find(rows, id_field, ident)
    old = rows[index] if index is not None else None
    initial = {"version": plan.version, **(_initial(part, old) if old else {})}
    if old is None and part != "targets":
        initial["number"] = str(len(rows) + 1)
    form = form_class(request.POST or None, plan=plan, initial=initial)  # type: ignore[call-arg]
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            row = _merge(part, old, form.data_for())  # type: ignore[attr-defined]
            position = index if index is not None else len(rows)
            changed = list(rows)
            if index is None:
                changed.append(row)
            else:
                changed[index] = row
            version = form.cleaned_data["version"]
            saved, conflict = _write(
                form,
                lambda: actions.save_content(
                    plan, {key: changed}, actor=request.user, version=version
                ),
                prefix=f"{key}[{position}].",
                rename=rename,
            )
            if saved:
                messages.success(request, _("Saved."))
                return redirect("plans:edit", plan.pk)
            status = _refused(form, plan, conflict)
    title = part_titles()[part] + (f" {ident}" if ident else "")
    return _form_page(request, plan, form, title, status)


@require_POST
@capability_required("plan.edit")
def delete_row(request: AuthenticatedHttpRequest, pk: int, part: str, ident: str) -> HttpResponse:
    if part not in PARTS:
        raise Http404
    plan = editable_plan(request, pk)
    if not plan.is_editable:
        return _closed(request, plan)
    key, id_field, _form, _rename = PARTS[part]
    rows: list[dict[str, Any]] = to_data(plan)[key]
    index = _find(rows, id_field, ident)
    assert index is not None
    remaining = rows[:index] + rows[index + 1 :]
    try:
        actions.save_content(
            plan, {key: remaining}, actor=request.user, version=required_version(request)
        )
    except EditConflict as exc:
        messages.error(request, conflict_message(exc))
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Removed."))
    return redirect("plans:edit", plan.pk)


def _form_page(
    request: AuthenticatedHttpRequest, plan: Plan, form: forms.Form, title: str, status: int
) -> HttpResponse:
    return render(
        request, "plans/edit_form.html", {"plan": plan, "form": form, "title": title}, status=status
    )
