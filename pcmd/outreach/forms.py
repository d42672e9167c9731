"""Forms of the outreach pages. Choices are limited to the user's scope; rules live in actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.permissions import around_q
from pcmd.agencies.models import Agency, AgencyKind
from pcmd.core.xlsx_guard import WorkbookField
from pcmd.geo.models import Unit, UnitLevel
from pcmd.web.fields import choice, model_choice
from pcmd.web.forms import DateField, VersionedForm, year_choices

from .files import ACCEPT
from .models import Activity, Audience, CommunicationForm, Officer, Training, TrainingLevel
from .pickers import UnitChoiceField, scope_filters
from .scope import scope_units


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return obj.name


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Officer) -> str:
        return f"{obj.full_name} — {obj.position} — {obj.commune.name}"


def agencies_for(user: Any) -> QuerySet[Agency]:
    """Agencies of the user's units, of the units below them and of the units above them."""
    qs = Agency.objects.visible_to(user).exclude(kind=AgencyKind.GROUP)
    if user.is_superuser:
        return qs.order_by("level", "order", "code")
    return qs.filter(around_q(user, "unit")).order_by("level", "order", "code")


def own_agency(user: Any) -> Agency | None:
    agencies = user.agencies
    return agencies[0] if agencies else None


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


# --- activities ------------------------------------------------------------------------------


class ActivityFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    district = UnitChoiceField(label=_("District"), queryset=Unit.objects.none(), required=False)
    commune = UnitChoiceField(label=_("Commune"), queryset=Unit.objects.none(), required=False)
    form = forms.ModelChoiceField(
        label=_("Form"), queryset=CommunicationForm.objects.all(), required=False
    )
    agency = AgencyChoiceField(
        label=_("Organising agency"), queryset=Agency.objects.none(), required=False
    )

    def __init__(self, *args: Any, user: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice(self, "year").choices = year_choices()
        scope_filters(self, user)
        model_choice(self, "agency").queryset = agencies


class ActivityForm(VersionedForm):
    field_order = [
        "date",
        "unit",
        "form",
        "title",
        "audiences",
        "participants",
        "copies",
        "agency",
        "organiser_detail",
        "notes",
        "attachments",
    ]

    date = DateField(label=_("Date"))
    unit = UnitChoiceField(label=_("Commune, district or province"), queryset=Unit.objects.none())
    agency = AgencyChoiceField(label=_("Organising agency"), queryset=Agency.objects.none())
    organiser_detail = forms.CharField(
        label=_("Organised by (detail)"),
        max_length=200,
        required=False,
        help_text=Activity._meta.get_field("organiser_detail").help_text,
    )
    form = forms.ModelChoiceField(label=_("Form"), queryset=CommunicationForm.objects.active())
    audiences = forms.ModelMultipleChoiceField(
        label=_("Audiences"),
        queryset=Audience.objects.active(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    title = forms.CharField(label=_("Content"), max_length=300)
    participants = forms.IntegerField(
        label=_("Participants"),
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    copies = forms.IntegerField(
        label=_("Copies or broadcasts"),
        min_value=0,
        required=False,
        help_text=Activity._meta.get_field("copies").help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_(
            "Photos, minutes or documents: PDF, JPG, PNG, Word, Excel or PowerPoint, 10 MB at most."
        ),
    )

    def __init__(
        self, *args: Any, user: Any, instance: Activity | None = None, **kwargs: Any
    ) -> None:
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "date": instance.date,
                    "unit": instance.unit_id,
                    "agency": instance.agency_id,
                    "organiser_detail": instance.organiser_detail,
                    "form": instance.form_id,
                    "audiences": [a.pk for a in instance.audiences.all()],
                    "title": instance.title,
                    "participants": instance.participants,
                    "copies": instance.copies,
                    "notes": instance.notes,
                    "version": instance.version,
                },
            )
        super().__init__(*args, **kwargs)
        units = scope_units(user)
        model_choice(self, "unit").queryset = units
        model_choice(self, "agency").queryset = agencies_for(user)
        if instance is not None:
            # A retired form stays selectable on the records that use it.
            model_choice(self, "form").queryset = CommunicationForm.objects.filter(
                Q(is_active=True) | Q(pk=instance.form_id)
            )
            del self.fields["attachments"]
        else:
            del self.fields["version"]
            if len(units) == 1:
                self.fields["unit"].initial = units[0].pk
                model_choice(self, "unit").empty_label = None
            agency = own_agency(user)
            if agency is not None:
                self.fields["agency"].initial = agency.pk


# --- training ----------------------------------------------------------------------------------


class TrainingFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", "---------"), *TrainingLevel.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice(self, "year").choices = year_choices()


class TrainingForm(VersionedForm):
    title = forms.CharField(label=_("Title"), max_length=300)
    topic = forms.CharField(label=_("Topic"), max_length=300, required=False)
    level = forms.ChoiceField(label=_("Level"), choices=TrainingLevel.choices)
    agency = AgencyChoiceField(label=_("Organiser"), queryset=Agency.objects.none())
    start_date = DateField(label=_("Start date"))
    end_date = DateField(label=_("End date"))
    unit = UnitChoiceField(
        label=_("Held by (unit)"),
        queryset=Unit.objects.none(),
        help_text=_("The province, district or commune at whose level the course is held."),
    )
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, *args: Any, user: Any, instance: Training | None = None, **kwargs: Any
    ) -> None:
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    name: getattr(instance, name)
                    for name in (
                        "title",
                        "topic",
                        "level",
                        "start_date",
                        "end_date",
                        "venue",
                        "notes",
                        "version",
                    )
                }
                | {"agency": instance.agency_id, "unit": instance.unit_id},
            )
        super().__init__(*args, **kwargs)
        model_choice(self, "unit").queryset = scope_units(user)
        model_choice(self, "agency").queryset = agencies_for(user)
        if instance is None:
            del self.fields["version"]


class ParticipantForm(forms.Form):
    officer = OfficerChoiceField(
        label=_("Officer on the roster"), required=False, queryset=Officer.objects.none()
    )
    full_name = forms.CharField(label=_("Or: full name"), max_length=150, required=False)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args: Any, user: Any, training: Training, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "officer").queryset = (
            Officer.objects.visible_to(user)
            .serving_in(training.start_date, training.end_date)
            .exclude(participations__training=training)
            .select_related("commune")
            .order_by("commune__code", "full_name")
        )
        model_choice(self, "unit").queryset = scope_units(user).filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=training.start_date),
            Q(valid_to__isnull=True) | Q(valid_to__gte=training.start_date),
        )


class OfficerFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    district = UnitChoiceField(label=_("District"), queryset=Unit.objects.none(), required=False)
    commune = UnitChoiceField(label=_("Commune"), queryset=Unit.objects.none(), required=False)
    trained = forms.ChoiceField(
        label=_("Trained in the year"),
        required=False,
        choices=[("", _("all")), ("yes", _("trained")), ("no", _("not trained"))],
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice(self, "year").choices = year_choices()
        scope_filters(self, user)


class OfficerForm(VersionedForm):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    position = forms.CharField(label=_("Position"), max_length=200)
    commune = UnitChoiceField(label=_("Commune"), queryset=Unit.objects.none())
    valid_from = DateField(label=_("In post from"), required=False)
    valid_to = DateField(label=_("In post until"), required=False)
    is_social_evils_officer = forms.BooleanField(
        label=_("Works on social-evils prevention"),
        required=False,
        initial=True,
        help_text=Officer._meta.get_field("is_social_evils_officer").help_text,
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, *args: Any, user: Any, instance: Officer | None = None, **kwargs: Any
    ) -> None:
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    name: getattr(instance, name)
                    for name in (
                        "full_name",
                        "position",
                        "valid_from",
                        "valid_to",
                        "is_social_evils_officer",
                        "notes",
                        "version",
                    )
                }
                | {"commune": instance.commune_id},
            )
        super().__init__(*args, **kwargs)
        communes = scope_units(user, (UnitLevel.COMMUNE,))
        model_choice(self, "commune").queryset = communes
        if instance is None:
            del self.fields["version"]
            if len(communes) == 1:
                self.fields["commune"].initial = communes[0].pk
                model_choice(self, "commune").empty_label = None


class ImportForm(forms.Form):
    file = WorkbookField(label=_("Excel file (.xlsx)"))
