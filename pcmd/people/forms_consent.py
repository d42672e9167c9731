"""Forms of the consent and referral pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcmd.geo.models import Unit, UnitLevel
from pcmd.web.fields import choice, model_choice
from pcmd.web.forms import DateField

from .models import ConsentPurpose


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    organisation = forms.CharField(
        label=_("Service or organisation"),
        max_length=200,
        required=False,
        help_text=_("Required for a referral or for sharing."),
    )
    given = forms.TypedChoiceField(
        label=_("Consent"),
        choices=[("", "—"), ("1", _("given")), ("0", _("withdrawn or refused"))],
        coerce=lambda v: v == "1",
    )
    on = DateField(label=_("Date"))
    note = forms.CharField(
        label=_("Note"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class ReferForm(forms.Form):
    source = forms.ChoiceField(label=_("Sanction or violation"))
    sent_on = DateField(
        label=_("Date of the referral"),
        help_text=_("The standing office of that date receives it."),
    )
    note = forms.CharField(
        label=_("Short reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only what the standing office needs to start outreach and support."),
    )

    def __init__(self, *args: Any, sources: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice(self, "source").choices = [(s, s) for s in sources]
        self.fields["sent_on"].initial = timezone.localdate()


class AssignForm(forms.Form):
    district: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        label=_("District"), queryset=None
    )
    override_reason = forms.CharField(
        label=_("Reason to assign without consent"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only when the person has not consented; the reason is reviewed."),
    )

    def __init__(self, *args: Any, districts: Any, allow_override: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "district").queryset = districts
        # From 01/07/2025 there are no districts: the communes take the cases.
        self.by_commune = districts.filter(level=UnitLevel.COMMUNE).exists()
        if self.by_commune:
            self.fields["district"].label = _("Commune")
        if not allow_override:
            del self.fields["override_reason"]
