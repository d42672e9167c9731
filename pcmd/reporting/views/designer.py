"""Report forms: the list, one form with its versions, the designer (a new version)."""

from __future__ import annotations

import yaml
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest
from pcmd.web.common import apply_errors

from .. import actions
from ..definitions import to_editable, version_to_definition
from ..forms import FormDesignForm
from ..models import FormVersion, ReportForm


@capability_required("reports.view")
def form_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    forms = ReportForm.objects.visible_to(request.user).prefetch_related("versions")
    return render(
        request,
        "reporting/form_list.html",
        {"forms": forms, "can_design": request.user.can("reports.forms")},
    )


@capability_required("reports.view")
def form_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    form = get_object_or_404(ReportForm.objects.visible_to(request.user), pk=pk)
    versions = list(form.versions.select_related("created_by", "source_form"))
    number = request.GET.get("version")
    version = next((v for v in versions if str(v.number) == number), versions[0])
    return render(
        request,
        "reporting/form_detail.html",
        {
            "rform": form,
            "versions": versions,
            "version": version,
            "fields": version.field_list,
            "rules": list(version.rules.all()),
            "can_design": request.user.can("reports.forms"),
        },
    )


@capability_required("reports.forms")
def form_edit(request: HttpRequest, pk: int) -> HttpResponse:
    form = get_object_or_404(ReportForm.objects.visible_to(request.user), pk=pk)
    current: FormVersion = form.current
    text = yaml.safe_dump(
        to_editable(version_to_definition(current)), allow_unicode=True, sort_keys=False, width=100
    )
    design = FormDesignForm(
        request.POST or None,
        initial={
            "name": form.name,
            "valid_from": form.valid_from,
            "valid_to": form.valid_to,
            "is_active": form.is_active,
            "definition": text,
        },
    )
    if request.method == "POST" and design.is_valid():
        data = design.cleaned_data
        try:
            version = actions.revise_form(
                form,
                data["definition"],
                actor=request.user,
                change_note=data["change_note"],
                meta={
                    "name": data["name"],
                    "valid_from": data["valid_from"],
                    "valid_to": data["valid_to"],
                    "is_active": data["is_active"],
                },
            )
        except ValidationError as exc:
            apply_errors(design, exc)
        else:
            messages.success(request, _("Saved as version %(n)s.") % {"n": version.number})
            return redirect("reporting:form", pk=form.pk)
    return render(
        request,
        "reporting/form_edit.html",
        {"rform": form, "form": design, "version": current},
        status=400 if design.errors else 200,
    )
