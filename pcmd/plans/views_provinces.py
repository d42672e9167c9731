"""The administrator's page of provinces: those loaded (map, units, agencies, plans, users) and
a form that loads another one from the package's list (``pcmd.plans.provinces``).

Loading runs in the request: a province takes a few seconds (measured in
tests/plans/test_provinces.py and the report of issue 14), well under the page's patience.
"""

from __future__ import annotations

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from pcmd.agencies.loader import MAP_2025
from pcmd.web.access import capability_required
from pcmd.web.auth import AuthenticatedHttpRequest

from .provinces import MAP_LABELS, ProvinceError, load_province, loaded_provinces, province_choices


class ProvinceLoadForm(forms.Form):
    province = forms.ChoiceField(label=_("Province"), choices=())
    map = forms.ChoiceField(
        label=_("Map"), choices=[(k, v) for k, v in MAP_LABELS.items()], initial=MAP_2025
    )
    admin_user = forms.CharField(
        label=_("User name of the standing office (optional)"),
        required=False,
        max_length=150,
        help_text=_("Created with a one-time password, shown once after loading."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["province"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = province_choices()


@capability_required("users.manage")
def province_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ProvinceLoadForm(request.POST or None)
    loaded = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                loaded = load_province(
                    data["province"],
                    actor=request.user,
                    on_map=data["map"],
                    admin_user=data["admin_user"],
                )
            except ProvinceError as exc:
                form.add_error(
                    exc.field if exc.field in form.fields else None,
                    f"{exc.texts['vi']} ({exc.texts['en']})",
                )
        if not form.is_valid() or loaded is None:
            status = 400
    return render(
        request,
        "plans/provinces.html",
        {"form": form, "loaded": loaded, "provinces": loaded_provinces()},
        status=status,
    )
