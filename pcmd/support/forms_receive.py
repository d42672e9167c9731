"""Forms of the receiving agency: the answer to a referral and the feedback after the service."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcmd.web.forms import DateField

ACCEPT = "accept"
DECLINE = "decline"


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Answer"),
        choices=[(ACCEPT, _("Accept the referral")), (DECLINE, _("Decline the referral"))],
        widget=forms.RadioSelect,
    )
    on = DateField(label=_("Answered on"), initial=timezone.localdate)
    feedback = forms.CharField(
        label=_("Reason (when declining) or note"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FeedbackForm(forms.Form):
    on = DateField(label=_("Service given by"), initial=timezone.localdate)
    feedback = forms.CharField(
        label=_("What the service gave"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Returned to the case worker; no details beyond what the case needs."),
    )
