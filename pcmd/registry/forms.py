"""Forms of the registry pages (the pickers other apps reuse are in ``pickers``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcmd.core.xlsx_guard import WorkbookField
from pcmd.geo.models import Unit
from pcmd.web.fields import model_choice
from pcmd.web.forms import DateField

from .filters import DEFAULT_DAYS, EXPIRED, EXPIRING, EstablishmentFilter
from .models import Establishment, EstablishmentKind, EstablishmentStatus, LicenceKind
from .pickers import MAP_HELP, CommuneOnMapMixin, DistrictChoiceField, UnitChoiceField
from .scope import (
    all_communes_for,
    districts_for,
)


class EstablishmentForm(CommuneOnMapMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ModelChoiceField(
        label=_("Kind"), queryset=EstablishmentKind.objects.filter(is_active=True)
    )
    address = forms.CharField(
        label=_("Address"),
        max_length=300,
        help_text=_("House number, street, village or residential group."),
    )
    on = DateField(label=_("Map date"), required=False, help_text=MAP_HELP)
    commune = UnitChoiceField(label=_("Commune"), queryset=Unit.objects.none())
    owner_name = forms.CharField(label=_("Owner or manager"), max_length=150, required=False)
    registration_no = forms.CharField(
        label=_("Business registration number"), max_length=50, required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=EstablishmentStatus.choices)
    opened_on = DateField(label=_("Operating since"), required=False)
    closed_on = DateField(label=_("Closed on"), required=False)
    lat = forms.FloatField(
        label=_("Latitude"), required=False, widget=forms.NumberInput(attrs={"step": "any"})
    )
    lon = forms.FloatField(
        label=_("Longitude"), required=False, widget=forms.NumberInput(attrs={"step": "any"})
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, user: Any, instance: Establishment | None = None, **kwargs: Any
    ) -> None:
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{
                    name: getattr(instance, name)
                    for name in (
                        "name",
                        "kind",
                        "address",
                        "commune",
                        "owner_name",
                        "registration_no",
                        "status",
                        "opened_on",
                        "closed_on",
                        "lat",
                        "lon",
                        "notes",
                        "version",
                    )
                }
            }
        super().__init__(*args, **kwargs)
        if instance is not None:
            from .scope import map_date_for

            self.setup_commune(
                user, current=instance.commune, on=map_date_for(instance.commune, user)
            )
            model_choice(self, "kind").queryset = EstablishmentKind.objects.filter(
                is_active=True
            ) | EstablishmentKind.objects.filter(pk=instance.kind_id)
        else:
            self.setup_commune(user)

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.pop("on", None)
        return data


class EstablishmentFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or address"), required=False)
    kind = forms.ModelChoiceField(
        label=_("Kind"),
        required=False,
        to_field_name="code",
        queryset=EstablishmentKind.objects.all(),
    )
    district = DistrictChoiceField(
        label=_("District"), required=False, queryset=Unit.objects.none()
    )
    commune = UnitChoiceField(label=_("Commune"), required=False, queryset=Unit.objects.none())
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", "---------"), *EstablishmentStatus.choices]
    )
    licence = forms.ChoiceField(
        label=_("Licence"),
        required=False,
        choices=[
            ("", "---------"),
            (EXPIRING, _("expiring within the days below")),
            (EXPIRED, _("expired")),
        ],
    )
    days = forms.IntegerField(
        label=_("Days"), required=False, min_value=1, max_value=3650, initial=DEFAULT_DAYS
    )
    as_of = DateField(
        label=_("As of"),
        required=False,
        help_text=_("Licence expiry is judged on this date (default today)."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        districts = districts_for(user)
        if districts.exists():
            model_choice(self, "district").queryset = districts
        else:  # a commune officer: no district to choose
            del self.fields["district"]
        model_choice(self, "commune").queryset = all_communes_for(user)

    def filter(self) -> EstablishmentFilter:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        kind = data.get("kind")
        return EstablishmentFilter(
            q=data.get("q") or "",
            kind=kind.code if kind else "",
            district=data.get("district"),
            commune=data.get("commune"),
            status=data.get("status") or "",
            licence=data.get("licence") or "",
            days=data.get("days") or DEFAULT_DAYS,
            as_of=data.get("as_of") or timezone.localdate(),
        )


class CloseForm(forms.Form):
    on = DateField(label=_("Closed on"))
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput)


class DeleteForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this record deleted?"),
        max_length=500,
        help_text=_("E.g. entered twice, or entered by mistake."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class LicenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Licence"), choices=LicenceKind.choices)
    number = forms.CharField(label=_("Number"), max_length=60)
    issuer = forms.CharField(label=_("Issued by"), max_length=150, required=False)
    issued_on = DateField(label=_("Issued on"), required=False)
    expires_on = DateField(
        label=_("Expires on"),
        required=False,
        help_text=_("Leave empty if the licence has no end date."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class StaffCountForm(forms.Form):
    as_of = DateField(label=_("As of"))
    staff = forms.IntegerField(label=_("Staff"), min_value=0)
    female_staff = forms.IntegerField(label=_("Female staff"), min_value=0)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        staff, female = data.get("staff"), data.get("female_staff")
        if staff is not None and female is not None and female > staff:
            self.add_error(
                "female_staff",
                _("Female staff (%(female)s) cannot be more than all staff (%(staff)s).")
                % {"female": female, "staff": staff},
            )
        return data


class ImportForm(forms.Form):
    file = WorkbookField(label=_("Workbook (.xlsx)"))
