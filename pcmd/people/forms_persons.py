"""Forms of the person pages: search, the identity form (new and edit), merge, read filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.models import User
from pcmd.geo.models import Unit, UnitLevel
from pcmd.outreach.pickers import UnitChoiceField
from pcmd.web.fields import choice, model_choice
from pcmd.web.forms import DateField, VersionedForm

from . import normalise
from .actions_persons import identity_modules, identity_unit_paths
from .models import Module, Person, Sex, Surface

DEFAULT_NATIONALITY = "Việt Nam"


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("ID number, phone, or name and year of birth"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_("e.g. 066190012345, 0912345678 or Nguyễn Thị A 1990 (exact match)."),
    )


def _communes(user: Any) -> Any:
    """Communes of today's map (all communes when the map loaded has none valid today)."""
    communes = Unit.objects.visible_to(user).filter(level=UnitLevel.COMMUNE)
    today = communes.valid_on(timezone.localdate())
    return (
        (today if today.exists() else communes)
        .select_related("parent")
        .order_by("parent__code", "code")
    )


class PersonForm(VersionedForm):
    """The identity fields of a person (all encrypted at rest)."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    other_names = forms.CharField(
        label=_("Other names"), max_length=300, required=False, help_text=_("Aliases, nicknames.")
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    birth_date = DateField(label=_("Date of birth"), required=False)
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        required=False,
        help_text=_("When only the year is known."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=30,
        required=False,
        help_text=_("CCCD (12 digits) or old CMND (9 digits)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    ethnicity = forms.CharField(label=_("Ethnicity"), max_length=100, required=False)
    nationality = forms.CharField(
        label=_("Nationality"), max_length=100, required=False, initial=DEFAULT_NATIONALITY
    )
    permanent_unit = UnitChoiceField(
        label=_("Permanent residence (commune)"), queryset=Unit.objects.none(), required=False
    )
    permanent_address = forms.CharField(
        label=_("Permanent address"), max_length=300, required=False
    )
    current_unit = UnitChoiceField(
        label=_("Current residence (commune)"), queryset=Unit.objects.none(), required=False
    )
    current_address = forms.CharField(label=_("Current address"), max_length=300, required=False)

    def __init__(
        self, *args: Any, user: Any, instance: Person | None = None, **kwargs: Any
    ) -> None:
        if instance is not None:
            initial = {name: getattr(instance, name) for name in VALUE_FIELDS}
            initial |= {
                "permanent_unit": instance.permanent_unit_id,
                "current_unit": instance.current_unit_id,
                "version": instance.version,
            }
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for name in ("permanent_unit", "current_unit"):
            model_choice(self, name).queryset = _communes(user)
        if instance is None:
            del self.fields["version"]

    def clean_id_number(self) -> str:
        number = normalise.id_number(self.cleaned_data.get("id_number") or "")
        if number and len(number) not in (9, 12):
            raise forms.ValidationError(
                _("The ID number has %(n)d digits: a CCCD has 12 digits, an old CMND 9."),
                params={"n": len(number)},
            )
        return number

    def clean_phone(self) -> str:
        raw = self.cleaned_data.get("phone") or ""
        digits = normalise.phone(raw)
        if raw.strip() and not 8 <= len(digits) <= 12:
            raise forms.ValidationError(_("Write a phone number of 8 to 12 digits."))
        return raw.strip()

    def clean_birth_year(self) -> int | None:
        year = self.cleaned_data.get("birth_year")
        today = timezone.localdate()
        if year is not None and not today.year - 120 <= year <= today.year:
            raise forms.ValidationError(
                _("The year of birth %(year)s is not plausible."), params={"year": year}
            )
        return year

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        born, year = data.get("birth_date"), data.get("birth_year")
        if born and year and born.year != year:
            self.add_error("birth_year", _("The year differs from the date of birth."))
        if born and born > timezone.localdate():
            self.add_error("birth_date", _("The date of birth lies in the future."))
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {name: data.get(name) for name in VALUE_FIELDS}
        for name in TEXT_FIELDS:
            values[name] = (values[name] or "").strip()
        values["permanent_unit"] = data.get("permanent_unit")
        values["current_unit"] = data.get("current_unit")
        if values["birth_date"] and not values["birth_year"]:
            values["birth_year"] = values["birth_date"].year
        return values


TEXT_FIELDS = (
    "full_name",
    "other_names",
    "id_number",
    "phone",
    "ethnicity",
    "nationality",
    "permanent_address",
    "current_address",
)
VALUE_FIELDS = (*TEXT_FIELDS, "sex", "birth_date", "birth_year")


class NewPersonForm(PersonForm):
    """A new person, with the involvement that lets the creator find it again."""

    module = forms.ChoiceField(
        label=_("Recorded for"),
        help_text=_(
            "The work in which you record this person: sanctions or cases for the police, "
            "support for the standing office and social workers."
        ),
    )
    unit = UnitChoiceField(
        label=_("Responsible unit"),
        queryset=Unit.objects.none(),
        help_text=_("The commune or district that answers for this record."),
    )
    confirm_new = forms.BooleanField(required=False, widget=forms.HiddenInput)

    field_order = ["module", "unit"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        modules = identity_modules(user)
        labels = dict(Module.choices)
        choice(self, "module").choices = [(m, labels[m]) for m in modules]
        if len(modules) == 1:
            self.fields["module"].initial = modules[0]
        paths = identity_unit_paths(user)
        q = Q(pk__in=[])
        for path in paths:
            q |= Q(path__startswith=path)
        units = (
            Unit.objects.filter(q, level__gte=UnitLevel.PROVINCE)
            .select_related("parent")
            .order_by("level", "parent__code", "code")
        )
        model_choice(self, "unit").queryset = units
        if len(paths) == 1:
            top = units.filter(path=paths[0]).first()
            if top is not None:
                self.fields["unit"].initial = top.pk


class MergeForm(forms.Form):
    other = forms.CharField(
        label=_("Code of the other record"),
        max_length=30,
        help_text=_("The other record is merged into this one, which is kept."),
    )
    reason = forms.CharField(
        label=_("Why they are the same person"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("I have checked that both records are the same person"), required=True
    )


class ReadsFilterForm(forms.Form):
    """Filters of the identity access log on a person's or a user's page."""

    user = forms.ModelChoiceField(label=_("User"), queryset=User.objects.none(), required=False)
    surface = forms.ChoiceField(label=_("Where"), required=False)
    since = DateField(label=_("From"), required=False)
    until = DateField(label=_("To"), required=False)

    def __init__(self, *args: Any, with_user: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice(self, "surface").choices = [("", "—"), *Surface.choices]
        if with_user:
            users = model_choice(self, "user")
            users.queryset = User.objects.order_by("full_name", "username")
            users.empty_label = "—"
        else:
            del self.fields["user"]
