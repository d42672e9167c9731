"""Forms of privacy administration: registering a data-subject request and handling it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcmd.core.messages import bilingual
from pcmd.web.forms import DateField, VersionedForm

from .models import Person, RequestKind, RequestStatus


class RequestForm(forms.Form):
    code = forms.CharField(
        label=_("person code"),
        max_length=30,
        help_text=_(
            "The code of the person's record, e.g. ĐL-2026-000123. Check the "
            "requester's identity in person, with their ID card."
        ),
    )
    kind = forms.ChoiceField(label=_("request"), choices=RequestKind.choices)
    received_on = DateField(label=_("received on"), initial=timezone.localdate)
    outcome = forms.CharField(
        label=_("note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_code(self) -> Person:
        code = self.cleaned_data["code"].strip().upper()
        person = Person.objects.visible_to(self.user).filter(code=code).first()
        if person is None:
            texts = bilingual(_("No person record has the code %(code)s."), code=code)
            raise forms.ValidationError(f"{texts['vi']} / {texts['en']}")
        return person


class HandleForm(VersionedForm):
    status = forms.ChoiceField(label=_("status"), choices=RequestStatus.choices)
    outcome = forms.CharField(
        label=_("outcome"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ExtendForm(VersionedForm):
    reason = forms.CharField(label=_("reason for the extension"), max_length=500)


class RequestFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[
            ("", _("all")),
            ("open", _("open")),
            ("overdue", _("overdue")),
            *RequestStatus.choices,
        ],
    )
    kind = forms.ChoiceField(
        label=_("request"), required=False, choices=[("", _("all")), *RequestKind.choices]
    )
