from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.models import User
from pcmd.accounts.permissions import units_in_scope
from pcmd.accounts.roles import NATIONAL_ROLES, Role
from pcmd.agencies.models import Agency
from pcmd.geo.models import Unit

DATE_INPUTS = ["%d/%m/%Y", "%Y-%m-%d"]


# What the date box accepts in the browser: dd/mm/yyyy (one-digit day and month too) or ISO.
DATE_PATTERN = r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}"


class DateInput(forms.DateInput):
    """A text box for dd/mm/yyyy: a numeric keypad on phones, and ``data-date`` for the
    static script that adds a calendar button (the browser's own picker) and the slashes."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {
            "placeholder": "dd/mm/yyyy",
            "inputmode": "numeric",
            "pattern": DATE_PATTERN,
            "autocomplete": "off",
            "data-date": "",
            "size": "12",
        }
        super().__init__(attrs={**base, **(attrs or {})}, format="%d/%m/%Y")


class DateField(forms.DateField):
    """A date typed as dd/mm/yyyy (ISO also accepted)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", DATE_INPUTS)
        kwargs.setdefault("widget", DateInput())
        super().__init__(**kwargs)


# The 2016–2020 programme (Decision 361/QĐ-TTg) that plan 1842 implements: the first year
# a register's year filter offers.
FIRST_YEAR = 2016


def year_choices() -> list[tuple[int, int]]:
    return [(y, y) for y in range(timezone.localdate().year, FIRST_YEAR - 1, -1)]


class VersionedForm(forms.Form):
    """A form editing a versioned record (``pcmd.core.concurrency``)."""

    version = forms.IntegerField(widget=forms.HiddenInput)


def scope_units(user: Any, level: int) -> QuerySet[Unit]:
    """Units of ``level`` inside the user's scope (list filters)."""
    qs = units_in_scope(user, levels=(level,))
    return qs.select_related("parent").order_by("parent__code", "code", "valid_from")


def drop_single_unit_filters(form: forms.Form) -> None:
    """Hide a unit filter with nothing to choose (a district officer has one district, a
    commune officer one commune)."""
    for name in ("district", "commune"):
        field = form.fields.get(name)
        if isinstance(field, forms.ModelChoiceField) and (
            field.queryset is None or field.queryset.count() <= 1
        ):
            del form.fields[name]


class UnitDateForm(forms.Form):
    on = DateField(label=_("Map on"), required=False)


class UserForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["username", "full_name", "position", "email", "phone", "is_active"]


class NewUserForm(UserForm):
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput,
        help_text=_("At least 10 characters, not only digits."),
    )


class AssignmentForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    unit_code = forms.CharField(
        label=_("Unit code (GSO)"),
        max_length=10,
        required=False,
        help_text=_("Empty only for a national role (the whole country)."),
    )
    unit_on = DateField(
        label=_("Unit valid on"),
        required=False,
        help_text=_("The map date that identifies the unit; default today."),
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"), required=False, queryset=Agency.objects.filter(level__lte=2)
    )
    valid_from = DateField(label=_("From"), required=False)
    valid_to = DateField(label=_("Until"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code = data.get("unit_code")
        on: datetime.date = data.get("unit_on") or timezone.localdate()
        if code:
            unit = Unit.objects.valid_on(on).filter(code=code.strip()).first()
            if unit is None:
                self.add_error(
                    "unit_code",
                    _("No unit with code %(code)s existed on %(date)s.")
                    % {"code": code, "date": on.strftime("%d/%m/%Y")},
                )
            data["unit"] = unit
        national = data.get("role") in NATIONAL_ROLES
        if national and code:
            self.add_error("unit_code", _("A national role holds the whole country: no unit."))
        elif not national and not code and "unit_code" not in self.errors:
            self.add_error("unit_code", _("Enter the unit code."))
        if national:
            data["unit"] = None
        if (
            data.get("valid_from")
            and data.get("valid_to")
            and data["valid_to"] < data["valid_from"]
        ):
            self.add_error("valid_to", _("The end date is before the start date."))
        return data


class AuditFilterForm(forms.Form):
    """Filters of the audit log as choices: who, what was done, to which kind of record."""

    user = forms.ChoiceField(label=_("User"), required=False)
    verb = forms.ChoiceField(label=_("Action"), required=False)
    object_type = forms.ChoiceField(label=_("Record type"), required=False)
    date_from = DateField(label=_("From"), required=False)
    date_to = DateField(label=_("Until"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from pcmd.core.audit_text import record_type_label, verb_choices
        from pcmd.core.models import AuditEvent

        super().__init__(*args, **kwargs)
        everyone = [("", _("everyone"))]
        names = AuditEvent.objects.order_by().values_list("actor_name", flat=True).distinct()
        people = {u.username: str(u) for u in User.objects.filter(username__in=list(names))}
        user_field: Any = self.fields["user"]
        user_field.choices = everyone + sorted(
            ((n, people.get(n, n)) for n in names if n), key=lambda c: c[1].lower()
        )
        verb_field: Any = self.fields["verb"]
        verb_field.choices = [("", _("all actions")), *verb_choices()]
        types = AuditEvent.objects.order_by().values_list("object_type", flat=True).distinct()
        type_field: Any = self.fields["object_type"]
        type_field.choices = [("", _("all records"))] + sorted(
            ((t, record_type_label(t)) for t in types if t), key=lambda c: c[1].lower()
        )
