"""Forms of emergency access and of the review queue."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pcmd.web.forms import DateField

from .emergency import MAX_NOTE, MAX_REASON, MIN_REASON
from .models import ExceptionKind

VERDICTS = (("yes", _("justified")), ("no", _("not justified")))


class EmergencyForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the emergency access"),
        required=False,  # the action refuses a short reason in both languages
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_REASON}),
        help_text=_("At least %(n)d characters. Your reason and every read are reviewed.")
        % {"n": MIN_REASON},
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput, max_length=300)


class ReviewForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Verdict"), choices=VERDICTS, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": MAX_NOTE}),
        help_text=_("Required when the use had no grounds."),
    )


class ReviewedFilterForm(forms.Form):
    """Filters of the reviewed tab (an invalid filter is ignored)."""

    tab = forms.CharField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("all")), *ExceptionKind.choices]
    )
    verdict = forms.ChoiceField(
        label=_("Verdict"), required=False, choices=[("", _("all")), *VERDICTS]
    )
    user = forms.CharField(label=_("User (login name)"), required=False, max_length=150)
    since = DateField(label=_("Used from"), required=False)
    until = DateField(label=_("Used until"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tab"].initial = "reviewed"
