"""Pages of the scoring templates (catalog data: administrators edit, assessors read)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pcmd.core.concurrency import EditConflict
from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest
from pcmd.web.common import apply_errors, conflict_message

from . import actions
from .forms import ClassForm, CopyTemplateForm, CriterionForm, TemplateForm
from .models import AssessmentClass, AssessmentTemplate, Criterion


def _template(request: HttpRequest, pk: int) -> AssessmentTemplate:
    return get_object_or_404(AssessmentTemplate.objects.visible_to(request.user), pk=pk)


@login_required
def template_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not (request.user.can("assessment.view") or request.user.can("catalogs.edit")):
        raise PermissionDenied
    templates = AssessmentTemplate.objects.visible_to(request.user)
    return render(request, "communes/template_list.html", {"templates": templates})


@login_required
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    template = _template(request, pk)
    criteria = list(template.criteria.all())
    return render(
        request,
        "communes/template_detail.html",
        {
            "template": template,
            "criteria": criteria,
            "classes": template.classes.all(),
            "max_total": sum(c.max_points for c in criteria),
            "can_edit": actions.can_edit_templates(request.user),
            "in_use": template.assessments.exists(),
            "copy_form": CopyTemplateForm(
                initial={"valid_from_year": template.valid_from_year + 1}
            ),
        },
    )


@capability_required("catalogs.edit")
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    template = _template(request, pk)
    form = TemplateForm(
        request.POST or None,
        instance=AssessmentTemplate.objects.get(pk=pk),
        initial={"version": template.version},
    )
    if request.method == "POST" and form.is_valid():
        values = {k: form.cleaned_data[k] for k in form.changed_data if k != "version"}
        try:
            actions.update_template(
                template,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                **values,
            )
            messages.success(request, _("Changes saved."))
            return redirect("communes:template", pk=template.pk)
        except EditConflict as exc:
            form.add_error(None, conflict_message(exc))
        except ValidationError as exc:
            apply_errors(form, exc)
    return render(
        request,
        "communes/template_form.html",
        {"template": template, "form": form, "title": _("Edit template")},
    )


def _edit_part(
    request: HttpRequest, template: AssessmentTemplate, form: Any, save: Any, title: str
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
            messages.success(request, _("Changes saved."))
            return redirect("communes:template", pk=template.pk)
        except ValidationError as exc:
            apply_errors(form, exc)
    return render(
        request, "communes/template_form.html", {"template": template, "form": form, "title": title}
    )


@capability_required("catalogs.edit")
def criterion_edit(request: HttpRequest, pk: int, criterion_id: int | None = None) -> HttpResponse:
    template = _template(request, pk)
    criterion = (
        get_object_or_404(Criterion, pk=criterion_id, template=template) if criterion_id else None
    )
    form = CriterionForm(
        request.POST or None, instance=Criterion.objects.get(pk=criterion.pk) if criterion else None
    )
    return _edit_part(
        request,
        template,
        form,
        lambda data: actions.save_criterion(
            template, actor=request.user, criterion=criterion, **data
        ),
        _("Edit criterion") if criterion else _("New criterion"),
    )


@capability_required("catalogs.edit")
def class_edit(request: HttpRequest, pk: int, class_id: int | None = None) -> HttpResponse:
    template = _template(request, pk)
    cls = get_object_or_404(AssessmentClass, pk=class_id, template=template) if class_id else None
    form = ClassForm(
        request.POST or None, instance=AssessmentClass.objects.get(pk=cls.pk) if cls else None
    )
    return _edit_part(
        request,
        template,
        form,
        lambda data: actions.save_class(template, actor=request.user, cls=cls, **data),
        _("Edit class") if cls else _("New class"),
    )


@require_POST
@capability_required("catalogs.edit")
def part_delete(request: HttpRequest, pk: int, kind: str, part_id: int) -> HttpResponse:
    template = _template(request, pk)
    try:
        if kind == "criterion":
            actions.delete_criterion(
                get_object_or_404(Criterion, pk=part_id, template=template), actor=request.user
            )
        else:
            actions.delete_class(
                get_object_or_404(AssessmentClass, pk=part_id, template=template),
                actor=request.user,
            )
        messages.success(request, _("Deleted."))
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    return redirect("communes:template", pk=template.pk)


@require_POST
@capability_required("catalogs.edit")
def template_copy(request: HttpRequest, pk: int) -> HttpResponse:
    template = _template(request, pk)
    form = CopyTemplateForm(request.POST)
    if form.is_valid():
        try:
            copy = actions.copy_template(
                template, actor=request.user, valid_from_year=form.cleaned_data["valid_from_year"]
            )
            messages.success(request, _("New version created: edit it before it is used."))
            return redirect("communes:template", pk=copy.pk)
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
    else:
        messages.error(request, _("Give the first year of the new version."))
    return redirect("communes:template", pk=template.pk)
