"""GeoJSON boundary import (administrators): districts and communes become polygons.

The upload is bounded before it is parsed: its size (``PCMD_GEOJSON_MAX_BYTES``) and its
number of features (``PCMD_GEOJSON_MAX_FEATURES``, counted in the raw text), since a parsed
GeoJSON takes several times its size in memory. Bad JSON or a shape other than a
FeatureCollection of objects is refused with a message in Vietnamese and English.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pcmd.core.messages import bilingual
from pcmd.indicators.actions import import_boundaries
from pcmd.web.access import capability_required
from pcmd.web.forms import DateField

MB = 1024 * 1024
MAX_BYTES = 20 * MB
MAX_FEATURES = 20_000


def _refusal(message: Any, **params: Any) -> forms.ValidationError:
    texts = bilingual(message, **params)
    text = f"{texts['vi']} / {texts['en']}" if texts["vi"] != texts["en"] else texts["en"]
    return forms.ValidationError(text)


def read_features(upload: Any) -> list[dict[str, Any]]:
    """The features of an uploaded GeoJSON FeatureCollection, or a ValidationError."""
    max_bytes = int(getattr(settings, "PCMD_GEOJSON_MAX_BYTES", MAX_BYTES))
    max_features = int(getattr(settings, "PCMD_GEOJSON_MAX_FEATURES", MAX_FEATURES))
    if upload.size > max_bytes:
        raise _refusal(
            gettext_lazy("The file is %(size)s MB; the limit is %(max)s MB."),
            size=f"{upload.size / MB:.1f}",
            max=max_bytes // MB,
        )
    raw = upload.read(max_bytes + 1)
    if len(raw) > max_bytes:  # the declared size was wrong
        raise _refusal(gettext_lazy("The file is larger than %(max)s MB."), max=max_bytes // MB)
    count = raw.count(b'"Feature"')
    if count > max_features:
        raise _refusal(
            gettext_lazy("The file has %(n)s features; the limit is %(max)s."),
            n=count,
            max=max_features,
        )
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        raise _refusal(gettext_lazy("The file is not valid JSON.")) from None
    features = data.get("features") if isinstance(data, dict) else None
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(features, list)
        or not features
    ):
        raise _refusal(gettext_lazy("This is not a GeoJSON FeatureCollection."))
    for number, feature in enumerate(features, 1):
        if not (
            isinstance(feature, dict)
            and isinstance(feature.get("properties") or {}, dict)
            and isinstance(feature.get("geometry") or {}, dict)
        ):
            raise _refusal(
                gettext_lazy("Feature %(n)s is not a GeoJSON feature with properties."),
                n=number,
            )
    return features


class BoundaryForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("GeoJSON file"),
        help_text=gettext_lazy(
            "A FeatureCollection whose features carry the unit's GSO code in a property named code."
        ),
    )
    on = DateField(label=gettext_lazy("Units valid on"), required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        self.cleaned_data["features"] = read_features(upload)
        return upload


@capability_required("catalogs.edit")
def import_view(request: HttpRequest) -> HttpResponse:
    # the units of today unless the official picks the date the file's units were valid
    form = BoundaryForm(
        request.POST or None, request.FILES or None, initial={"on": timezone.localdate()}
    )
    problems: list[str] = []
    on = timezone.localdate()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        on = form.cleaned_data["on"] or on
        count, problems = import_boundaries(
            form.cleaned_data["features"], actor=request.user, on=on, source=upload.name
        )
        if not problems:
            messages.success(request, _("%(n)s boundaries imported.") % {"n": count})
            return redirect("dashboard:map")
    status = 400 if form.errors or problems else 200
    context = {"form": form, "problems": problems, "on": on}
    return render(request, "dashboard/boundaries.html", context, status=status)
