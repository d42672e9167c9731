"""Pickers of the registry shared with other apps' forms: the commune on a map date (the
hotspots forms reuse it) and an establishment. Other apps import these, never the registry's
page forms."""

from __future__ import annotations

import datetime
from collections.abc import MutableMapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pcmd.geo.models import Unit
from pcmd.web.forms import DATE_INPUTS

from .models import Establishment
from .scope import commune_label, communes_for, default_map_date


class UnitChoiceField(forms.ModelChoiceField):
    def __init__(self, *args: Any, on: datetime.date | None = None, **kwargs: Any) -> None:
        self.on = on
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Unit) -> str:
        label = commune_label(obj, self.on)
        return label if self.on is not None else f"{label} ({obj.code})"


class DistrictChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.name} ({obj.code})"


def _parse_date(raw: Any) -> datetime.date | None:
    if not raw:
        return None
    for fmt in DATE_INPUTS:
        try:
            return datetime.datetime.strptime(str(raw).strip(), fmt).date()
        except ValueError:
            continue
    return None


class CommuneOnMapMixin:
    """A map date field ``on`` and a ``commune`` field listing the communes of the user's
    scope valid on that date; the current commune of an edited record stays listed."""

    fields: dict[str, forms.Field]
    data: Any
    initial: MutableMapping[str, Any]
    prefix: str | None

    def setup_commune(
        self, user: Any, current: Unit | None = None, on: datetime.date | None = None
    ) -> datetime.date:
        key = f"{self.prefix}-on" if self.prefix else "on"
        typed = _parse_date(self.data.get(key)) if self.data else None
        on = typed or on or self.initial.get("on") or default_map_date(user)
        self.initial["on"] = on
        qs = communes_for(user, on)
        if current is not None:
            qs = (qs | Unit.objects.filter(pk=current.pk)).distinct()
        field = self.fields["commune"]
        assert isinstance(field, UnitChoiceField), "commune"
        field.queryset = qs
        field.on = on
        return on


MAP_HELP = _(
    "Communes are listed as they were on this date. Data about 2018 is recorded on "
    "the 2018 map (e.g. 12/03/2018); change the date and press 'Update the list'."
)


class EstablishmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Establishment) -> str:
        return f"{obj.name} — {obj.address} · {obj.commune.name}"
