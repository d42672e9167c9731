"""Forms of the support pages; choices limited to the user's communes."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from pcmd.geo.models import Unit, UnitLevel
from pcmd.outreach.pickers import UnitChoiceField, scope_filters
from pcmd.outreach.scope import scope_units
from pcmd.web.fields import choice, model_choice
from pcmd.web.forms import DateField, VersionedForm, year_choices

from .models import COUNT_FIELDS, SupportCount


class SupportFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    district = UnitChoiceField(label=_("District"), queryset=Unit.objects.none(), required=False)
    commune = UnitChoiceField(label=_("Commune"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice(self, "year").choices = year_choices()
        scope_filters(self, user)


class SupportCountForm(VersionedForm):
    commune = UnitChoiceField(label=_("Commune"), queryset=Unit.objects.none())
    period_start = DateField(label=_("Period start"))
    period_end = DateField(label=_("Period end"))
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Counts only: never write names or other details that could identify a person."
        ),
    )

    def __init__(
        self, *args: Any, user: Any, instance: SupportCount | None = None, **kwargs: Any
    ) -> None:
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    name: getattr(instance, name)
                    for name in ["period_start", "period_end", *COUNT_FIELDS, "note", "version"]
                }
                | {"commune": instance.commune_id},
            )
        super().__init__(*args, **kwargs)
        for name in COUNT_FIELDS:
            model_field = cast("models.Field[Any, Any]", SupportCount._meta.get_field(name))
            self.fields[name] = forms.IntegerField(
                label=capfirst(model_field.verbose_name),
                min_value=0,
                initial=0,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
        # Keep the note last, after the counts.
        self.fields["note"] = self.fields.pop("note")
        communes = scope_units(user, (UnitLevel.COMMUNE,))
        model_choice(self, "commune").queryset = communes
        if instance is None:
            del self.fields["version"]
            if len(communes) == 1:
                self.fields["commune"].initial = communes[0].pk
                model_choice(self, "commune").empty_label = None
