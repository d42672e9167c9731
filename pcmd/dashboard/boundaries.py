"""GeoJSON boundary import (administrators): districts and communes become polygons."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pcmd.indicators.actions import import_boundaries
from pcmd.web.access import capability_required
from pcmd.web.forms import DateField

MAX_BYTES = 50 * 1024 * 1024


class BoundaryForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("GeoJSON file"),
        help_text=gettext_lazy(
            "A FeatureCollection whose features carry the unit's GSO code in a property named code."
        ),
    )
    on = DateField(label=gettext_lazy("Units valid on"), required=False)


@capability_required("catalogs.edit")
def import_view(request: HttpRequest) -> HttpResponse:
    form = BoundaryForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            form.add_error("file", _("The file is larger than 50 MB."))
        else:
            try:
                data = json.load(upload)
                features = data["features"] if data.get("type") == "FeatureCollection" else None
            except (ValueError, KeyError, AttributeError):
                features = None
            if not features:
                form.add_error("file", _("This is not a GeoJSON FeatureCollection."))
            else:
                count, problems = import_boundaries(
                    features,
                    actor=request.user,
                    on=form.cleaned_data["on"] or timezone.localdate(),
                    source=upload.name,
                )
                if not problems:
                    messages.success(request, _("%(n)s boundaries imported.") % {"n": count})
                    return redirect("dashboard:map")
    return render(request, "dashboard/boundaries.html", {"form": form, "problems": problems})
