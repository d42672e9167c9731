"""Pages of the document proposal: upload a plan (.docx or pasted text), review what was read
(keep, fix or drop each item; the text not used is listed), create the draft."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BoundField
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest

from . import actions_proposal
from .agency_match import catalog_for
from .forms_proposal import LISTS, SINGLE, ReviewForm, UploadForm
from .models import Plan
from .models_proposal import PlanProposal
from .proposal import to_content
from .proposal_read import MAX_UPLOAD
from .structure import StructureError

RECENT = 10
HEADER_LABELS = {
    "number": gettext_lazy("Number"),
    "date": gettext_lazy("Date"),
    "place": gettext_lazy("Place"),
    "province": gettext_lazy("Province"),
    "issuer_name": gettext_lazy("Issued by"),
    "title": gettext_lazy("Title"),
    "signer_name": gettext_lazy("Signer"),
    "signer_authority": gettext_lazy("Signs for"),
    "signer_title": gettext_lazy("Signer's title"),
}
LABELS = {
    "legal_bases": gettext_lazy("Legal bases"),
    "objectives": gettext_lazy("I. General objectives"),
    "targets": gettext_lazy("I. Specific targets"),
    "solution_areas": gettext_lazy("II. Solutions"),
    "funding": gettext_lazy("III. Funding"),
    "tasks": gettext_lazy("IV. Implementation: tasks per agency"),
    "recipients": gettext_lazy("Recipients (Nơi nhận)"),
}


def plan_url(plan: Plan) -> str:
    """The plan's page."""
    return reverse("plans:detail", args=[plan.pk])


@capability_required("plan.edit")
def proposal_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    provinces = actions_proposal.editable_provinces(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, provinces=provinces)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        try:
            row = actions_proposal.create_proposal(
                actor=request.user,
                data=upload.read(MAX_UPLOAD + 1) if upload else None,
                text=None if upload else form.cleaned_data["text"],
                filename=getattr(upload, "name", "") or "",
                province=form.cleaned_data.get("province"),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect("plans:proposal", pk=row.pk)
    recent = PlanProposal.objects.visible_to(request.user).select_related("plan")[:RECENT]
    status = 400 if request.method == "POST" else 200
    return render(
        request, "plans/proposal_new.html", {"form": form, "recent": recent}, status=status
    )


def _split(fields: list[BoundField]) -> dict[str, list[BoundField]]:
    """Texts and pick lists on their own lines, short fields side by side."""

    def wide(f: BoundField) -> bool:
        widget, length = f.field.widget, getattr(f.field, "max_length", None) or 0
        return isinstance(widget, (forms.Textarea, forms.SelectMultiple)) or length >= 200

    return {"long": [f for f in fields if wide(f)], "short": [f for f in fields if not wide(f)]}


def _rows(form: ReviewForm, key: str) -> list[dict[str, Any]]:
    rows = []
    for i, item in enumerate(form.proposal.get(key) or []):
        prefix = f"{key}-{i}-"
        fields = [
            form[n] for n in form.fields if n.startswith(prefix) and not n.endswith("-decision")
        ]
        rows.append(
            {
                "item": item,
                "decision": form[f"{prefix}decision"],
                "anchor": f"{key}-{i}",
                **_split(fields),
            }
        )
    return rows


def _single(form: ReviewForm, key: str) -> dict[str, Any] | None:
    item = form.proposal.get(key)
    if not item:
        return None
    return {
        "item": item,
        "decision": form[f"{key}-decision"],
        "anchor": key,
        **_split([form[f"{key}-text"]]),
    }


@capability_required("plan.edit")
def proposal_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(
        PlanProposal.objects.visible_to(request.user).select_related("unit", "plan"), pk=pk
    )
    matcher = catalog_for(row.unit)
    form = ReviewForm(request.POST or None, proposal=row.proposal, agencies=matcher.choices())
    status = 200
    if request.method == "POST":
        status = 400
        if row.plan_id is not None:
            messages.info(request, _("A draft was already created from this document."))
            return redirect(plan_url(row.plan)) if row.plan else redirect("plans:proposal", pk=pk)
        if form.is_valid():
            reviewed = form.reviewed()
            header = actions_proposal.draft_header(reviewed, form.header())
            try:
                plan = actions_proposal.accept_proposal(
                    row, actor=request.user, header=header, content=to_content(reviewed)
                )
            except StructureError as exc:
                form.add_content_errors(exc.errors)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("The draft plan was created from the document."))
                return redirect(plan_url(plan))
    header = row.proposal.get("header") or {}
    context = {
        "proposal": row,
        "form": form,
        "header_items": [(label, header[k]) for k, label in HEADER_LABELS.items() if k in header],
        "sections": [(key, LABELS[key], _rows(form, key)) for key in LISTS],
        "singles": [s for s in (_single(form, k) for k in SINGLE) if s],
        "unmatched": row.proposal.get("unmatched") or [],
        "stats": row.proposal.get("stats") or {},
        "without_agency": [
            g for g in row.proposal.get("tasks") or [] if not g["value"]["agencies"]
        ],
        "plan_link": plan_url(row.plan) if row.plan else "",
    }
    return render(request, "plans/proposal_review.html", context, status=status)
