"""Forms of the hotspot pages: short, one column, usable on a phone."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.permissions import around_q
from pcmd.agencies.models import Agency, AgencyKind
from pcmd.geo.models import Unit
from pcmd.registry.pickers import (
    MAP_HELP,
    CommuneOnMapMixin,
    DistrictChoiceField,
    UnitChoiceField,
)
from pcmd.registry.scope import districts_for, map_date_for
from pcmd.web.fields import model_choice
from pcmd.web.forms import DateField

from .models import Hotspot, HotspotKind, HotspotStatus, Patrol

NUMBER = {"inputmode": "numeric", "min": "0"}


class HotspotForm(CommuneOnMapMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("A short name officers recognise, without people's names."),
    )
    kind = forms.ChoiceField(label=_("Kind of place"), choices=HotspotKind.choices)
    location = forms.CharField(
        label=_("Location"), max_length=300, help_text=_("Street, landmark or area.")
    )
    on = DateField(label=_("Map date"), required=False, help_text=MAP_HELP)
    commune = UnitChoiceField(label=_("Commune"), queryset=Unit.objects.none())
    first_seen = DateField(label=_("First identified"))
    lat = forms.FloatField(
        label=_("Latitude"), required=False, widget=forms.NumberInput(attrs={"step": "any"})
    )
    lon = forms.FloatField(
        label=_("Longitude"), required=False, widget=forms.NumberInput(attrs={"step": "any"})
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=HotspotStatus.choices, initial=HotspotStatus.ACTIVE
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, user: Any, instance: Hotspot | None = None, **kwargs: Any
    ) -> None:
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(instance, name)
                for name in (
                    "name",
                    "kind",
                    "location",
                    "commune",
                    "first_seen",
                    "lat",
                    "lon",
                    "version",
                )
            }
        super().__init__(*args, **kwargs)
        if instance is not None:
            # status changes have their own form (they are kept as history)
            del self.fields["status"]
            del self.fields["note"]
            self.setup_commune(
                user, current=instance.commune, on=map_date_for(instance.commune, user)
            )
        else:
            self.setup_commune(user)

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for key in ("version", "on"):
            data.pop(key, None)
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=HotspotStatus.choices, widget=forms.RadioSelect
    )
    on = DateField(label=_("Date"))
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What was seen or done; no names of people."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class DeleteForm(forms.Form):
    reason = forms.CharField(label=_("Why is this record deleted?"), max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput)


def agencies_for(user: Any) -> Any:
    """Police and interagency teams of the user's area and above it (a provincial police
    unit may patrol a commune)."""
    kinds = [AgencyKind.POLICE, AgencyKind.INTERAGENCY_TEAM]
    if getattr(user, "is_superuser", False):
        return Agency.objects.filter(kind__in=kinds)
    return Agency.objects.filter(around_q(user, "unit"), kind__in=kinds).order_by(
        "level", "order", "code"
    )


class HotspotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Hotspot) -> str:
        return f"{obj.name} — {obj.commune.name}"


class PatrolForm(CommuneOnMapMixin, forms.Form):
    on = DateField(label=_("Date"), help_text=_("Communes are listed as they were on this date."))
    hotspot = HotspotChoiceField(
        label=_("Hotspot"),
        required=False,
        queryset=Hotspot.objects.none(),
        help_text=_("Leave empty for a patrol of an area."),
    )
    commune = UnitChoiceField(
        label=_("Commune"),
        required=False,
        queryset=Unit.objects.none(),
        help_text=_("Not needed when a hotspot is chosen."),
    )
    force = forms.CharField(
        label=_("Force"),
        max_length=150,
        help_text=_("E.g. Cảnh sát trật tự Công an TP Buôn Ma Thuột."),
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"), required=False, queryset=Agency.objects.none()
    )
    people_found = forms.IntegerField(
        label=_("People found"), min_value=0, initial=0, widget=forms.NumberInput(attrs=NUMBER)
    )
    people_sanctioned = forms.IntegerField(
        label=_("People sanctioned"), min_value=0, initial=0, widget=forms.NumberInput(attrs=NUMBER)
    )
    people_referred = forms.IntegerField(
        label=_("People referred to support"),
        min_value=0,
        initial=0,
        widget=forms.NumberInput(attrs=NUMBER),
    )
    action_taken = forms.CharField(
        label=_("Action taken"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Counts only: never write people's names."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, user: Any, instance: Patrol | None = None, **kwargs: Any
    ) -> None:
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(instance, name)
                for name in (
                    "on",
                    "hotspot",
                    "commune",
                    "force",
                    "agency",
                    "people_found",
                    "people_sanctioned",
                    "people_referred",
                    "action_taken",
                    "version",
                )
            }
        kwargs.setdefault("initial", {}).setdefault("on", timezone.localdate())
        super().__init__(*args, **kwargs)
        hotspots = Hotspot.objects.editable_by(user).select_related("commune")
        if instance is not None and instance.hotspot_id:
            hotspots = hotspots | Hotspot.objects.filter(pk=instance.hotspot_id)
        model_choice(self, "hotspot").queryset = hotspots
        model_choice(self, "agency").queryset = agencies_for(user)
        self.setup_commune(user, current=instance.commune if instance else None)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        found = data.get("people_found")
        for key in ("people_sanctioned", "people_referred"):
            value = data.get(key)
            if found is not None and value is not None and value > found:
                self.add_error(key, _("Cannot be more than people found (%(n)s).") % {"n": found})
        if not data.get("hotspot") and not data.get("commune") and "commune" not in self.errors:
            self.add_error("commune", _("Choose a commune or a hotspot."))
        return data

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        if data.get("hotspot"):
            data["commune"] = data["hotspot"].commune
        return data


class HotspotFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", "---------"), *HotspotStatus.choices]
    )
    district = DistrictChoiceField(
        label=_("District"), required=False, queryset=Unit.objects.none()
    )
    overdue = forms.BooleanField(label=_("Re-check overdue"), required=False)
    as_of = DateField(
        label=_("As of"),
        required=False,
        help_text=_("Re-checks due before this date are overdue (default today)."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        districts = districts_for(user)
        if districts.exists():
            model_choice(self, "district").queryset = districts
        else:  # a commune officer: no district to choose
            del self.fields["district"]


class PatrolFilterForm(forms.Form):
    district = DistrictChoiceField(
        label=_("District"), required=False, queryset=Unit.objects.none()
    )
    date_from = DateField(label=_("From"), required=False)
    date_to = DateField(label=_("Until"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        districts = districts_for(user)
        if districts.exists():
            model_choice(self, "district").queryset = districts
        else:  # a commune officer: no district to choose
            del self.fields["district"]
