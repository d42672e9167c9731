"""Forms of the support case pages (issue 13): the caseload filters, the intake, and the
case page's forms (assessment, goals, services, referrals, follow-ups, transfer, closure).
Choices are limited to the user's scope; the actions in pcmd.support.cases check the rest."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.models import User
from pcmd.accounts.permissions import units_q
from pcmd.accounts.roles import CAPABILITIES
from pcmd.accounts.roles import Capability as C
from pcmd.agencies.models import Agency
from pcmd.geo.models import Unit, UnitLevel
from pcmd.outreach.pickers import UnitChoiceField, scope_filters
from pcmd.outreach.scope import scope_units
from pcmd.people.models import Referral, ReferralStatus, Sex
from pcmd.web.fields import choice, model_choice
from pcmd.web.forms import DateField, year_choices

from .models import (
    NEED_DOMAINS,
    CaseOrigin,
    CaseOutcome,
    CaseStatus,
    GoalStatus,
    NeedLevel,
    NeedsAssessment,
    RepaymentStatus,
    ServiceOutcome,
    ServiceType,
    SupportCase,
)

CASE_LEVELS = (UnitLevel.DISTRICT, UnitLevel.COMMUNE)
BIG = {"inputmode": "numeric"}


def support_roles() -> list[str]:
    return [role for role, caps in CAPABILITIES.items() if C.SUPPORT_CASES in caps]


def workers_in(user: Any = None) -> QuerySet[User]:
    """Active users holding ``support.cases`` (assigned inside ``user``'s scope when given)."""
    today = timezone.localdate()
    q = Q(assignments__role__in=support_roles(), is_active=True) & (
        Q(assignments__valid_to__isnull=True) | Q(assignments__valid_to__gte=today)
    )
    if user is not None:
        q &= units_q(user, "assignments__unit__")
    return User.objects.filter(q).distinct().order_by("username")


def need_label(domain: str) -> Any:
    field = cast("models.Field[Any, Any]", NeedsAssessment._meta.get_field(domain))
    return field.verbose_name


def domain_choices() -> list[tuple[str, Any]]:
    return [(d, need_label(d)) for d in NEED_DOMAINS]


class WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


# --- caseload -------------------------------------------------------------------------------


class CaseFilterForm(forms.Form):
    mine = forms.BooleanField(label=_("My cases"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", "—"), *CaseStatus.choices], required=False
    )
    worker = WorkerChoiceField(label=_("Case worker"), queryset=User.objects.none(), required=False)
    district = UnitChoiceField(label=_("District"), queryset=Unit.objects.none(), required=False)
    commune = UnitChoiceField(label=_("Commune"), queryset=Unit.objects.none(), required=False)
    year = forms.TypedChoiceField(label=_("Year opened"), coerce=int, required=False)
    overdue = forms.BooleanField(label=_("Follow-up overdue"), required=False)
    no_contact = forms.BooleanField(label=_("No contact for 60 days"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice(self, "year").choices = [("", "—"), *year_choices()]
        scope_filters(self, user)
        model_choice(self, "worker").queryset = workers_in(user)


# --- intake ---------------------------------------------------------------------------------


class HandOverChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Referral) -> str:
        return f"{obj.person.code} · {obj.sent_on:%d/%m/%Y}"


class IntakeForm(forms.Form):
    origin = forms.ChoiceField(label=_("How the case came"), choices=CaseOrigin.choices)
    referral = HandOverChoiceField(
        label=_("Police hand-over"),
        queryset=Referral.objects.none(),
        required=False,
        help_text=_("Hand-overs assigned to your district, waiting for a case."),
    )
    origin_note = forms.CharField(
        label=_("Referred by"),
        max_length=200,
        required=False,
        help_text=_("Organisation or programme."),
    )
    person = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        required=False,
        min_value=1900,
        max_value=2100,
        widget=forms.NumberInput(attrs=BIG),
    )
    id_number = forms.CharField(
        label=_("ID number"),
        required=False,
        max_length=20,
        help_text=_("CCCD (12 digits) or old CMND (9 digits)."),
    )
    phone = forms.CharField(label=_("Phone"), required=False, max_length=20)
    unit = UnitChoiceField(
        label=_("Unit in charge"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("For a police hand-over, the district it was assigned to when left empty."),
    )
    worker = WorkerChoiceField(label=_("Case worker"), queryset=User.objects.none())
    supervisor = WorkerChoiceField(
        label=_("Supervisor"), queryset=User.objects.none(), required=False
    )
    opened_on = DateField(label=_("Opened on"))
    consent_support = forms.BooleanField(
        label=_("The person agreed to receive support services"),
        help_text=_(
            "Explain in plain words what the support is and that the person can stop at any "
            "time; tick only if the person said yes."
        ),
        error_messages={
            "required": _("A case opens only when the person agrees to support services.")
        },
    )
    consent_statistics = forms.BooleanField(
        label=_("The person agreed to be counted in anonymous statistics"),
        required=False,
    )

    PERSON_FIELDS = ("full_name", "sex", "birth_year", "id_number", "phone")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = scope_units(user, CASE_LEVELS)
        model_choice(self, "unit").queryset = units
        workers = workers_in(user)
        model_choice(self, "worker").queryset = workers
        model_choice(self, "supervisor").queryset = workers
        taken = SupportCase.objects.filter(referral__isnull=False).values("referral_id")
        model_choice(self, "referral").queryset = (
            Referral.objects.visible_to(user)
            .filter(status=ReferralStatus.SUPPORT_STARTED, assigned_unit__isnull=False)
            .exclude(pk__in=taken)
            .select_related("person")
            .order_by("-sent_on", "-pk")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        origin = data.get("origin")
        if origin == CaseOrigin.POLICE:
            if not data.get("referral"):
                self.add_error("referral", _("Choose the police hand-over the case comes from."))
            elif not data.get("unit"):
                data["unit"] = data["referral"].assigned_unit
        elif not data.get("person") and not (data.get("full_name") or "").strip():
            self.add_error(
                "full_name", _("Choose a person found above, or write the new person's name.")
            )
        if not data.get("unit") and "unit" not in self.errors:
            self.add_error("unit", _("Choose the unit in charge."))
        return data

    def person_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {k: data[k] for k in self.PERSON_FIELDS if data.get(k) not in (None, "")}


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("ID number, phone, or name and year of birth"),
        max_length=120,
        widget=forms.TextInput(attrs={"placeholder": "066190012345 · Nguyễn Thị A 1996"}),
    )


# --- the case page's forms ------------------------------------------------------------------


class AssessForm(forms.Form):
    on = DateField(label=_("Assessed on"))
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        note = self.fields.pop("note")
        for domain in NEED_DOMAINS:
            self.fields[domain] = forms.ChoiceField(
                label=capfirst(need_label(domain)),
                choices=NeedLevel.choices,
                widget=forms.RadioSelect,
            )
        self.fields["note"] = note

    def levels(self) -> dict[str, str]:
        return {d: self.cleaned_data[d] for d in NEED_DOMAINS}


class GoalForm(forms.Form):
    domain = forms.ChoiceField(label=_("Area"), choices=domain_choices)
    text = forms.CharField(label=_("Goal"), max_length=300)
    due_on = DateField(label=_("By"))


class GoalStatusForm(forms.Form):
    goal = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices)


class ServiceTypeField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ServiceType) -> str:
        return obj.name


def _service_types() -> QuerySet[ServiceType]:
    return ServiceType.objects.filter(is_active=True).order_by("order", "code")


def _agencies(user: Any) -> QuerySet[Agency]:
    """Agencies of the user's province (never another province's: issue 14, isolation)."""
    return Agency.objects.visible_to(user).order_by("level", "name")


class ServiceForm(forms.Form):
    type = ServiceTypeField(label=_("Service"), queryset=ServiceType.objects.none())
    started_on = DateField(label=_("From"))
    ended_on = DateField(label=_("Until"), required=False)
    provider = forms.ModelChoiceField(
        label=_("Provider agency"), queryset=Agency.objects.none(), required=False
    )
    provider_name = forms.CharField(label=_("Provider (other)"), max_length=200, required=False)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=ServiceOutcome.choices, initial=ServiceOutcome.ONGOING
    )
    cost = forms.DecimalField(
        label=_("Cost (đồng)"),
        max_digits=14,
        decimal_places=0,
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs=BIG),
    )
    course = forms.CharField(
        label=_("Course or trade"),
        max_length=200,
        required=False,
        help_text=_("For vocational training."),
    )
    loan_amount = forms.DecimalField(
        label=_("Loan amount (đồng)"),
        max_digits=14,
        decimal_places=0,
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs=BIG),
    )
    lender = forms.CharField(label=_("Lender"), max_length=200, required=False)
    loan_term_months = forms.IntegerField(
        label=_("Term (months)"),
        min_value=1,
        max_value=600,
        required=False,
        widget=forms.NumberInput(attrs=BIG),
    )
    repayment = forms.ChoiceField(
        label=_("Repayment"), choices=[("", "—"), *RepaymentStatus.choices], required=False
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    LOAN_FIELDS = ("loan_amount", "lender", "loan_term_months", "repayment")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        types = _service_types()
        model_choice(self, "type").queryset = types
        self.fields["type"].widget.attrs["data-kinds"] = ",".join(f"{t.pk}:{t.kind}" for t in types)
        model_choice(self, "provider").queryset = _agencies(user)
        for name in self.LOAN_FIELDS:
            self.fields[name].widget.attrs["data-kind"] = "loan"
        self.fields["course"].widget.attrs["data-kind"] = "training"

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            k: v for k, v in data.items() if k not in ("type", "started_on") and v not in (None, "")
        }


class ReferForm(forms.Form):
    type = ServiceTypeField(label=_("Service"), queryset=ServiceType.objects.none())
    to_agency = forms.ModelChoiceField(
        label=_("To agency"), queryset=Agency.objects.none(), required=False
    )
    to_name = forms.CharField(
        label=_("Or to an organisation"),
        max_length=200,
        required=False,
        help_text=_("The organisation the person consented to be referred to."),
    )
    sent_on = DateField(label=_("Sent on"))
    override_reason = forms.CharField(
        label=_("Refer without consent: reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when the person's consent cannot be recorded; the reason is reviewed."),
    )

    def __init__(self, *args: Any, user: Any, may_override: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "type").queryset = _service_types()
        model_choice(self, "to_agency").queryset = _agencies(user)
        if not may_override:
            del self.fields["override_reason"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("to_agency") and not (data.get("to_name") or "").strip():
            self.add_error("to_name", _("Name the agency or organisation."))
        return data


class FollowUpForm(forms.Form):
    done_on = DateField(label=_("Contact on"))
    kind = forms.ChoiceField(
        label=_("Contact"),
        choices=[
            ("visit", _("home visit")),
            ("call", _("phone call")),
            ("office", _("at the office")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TransferForm(forms.Form):
    to_unit = UnitChoiceField(label=_("To unit"), queryset=Unit.objects.none())
    to_worker = WorkerChoiceField(label=_("To case worker"), queryset=User.objects.none())
    on = DateField(label=_("Transferred on"))
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, case: SupportCase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        province = next(
            (u for u in [case.unit, *case.unit.ancestors()] if u.level == UnitLevel.PROVINCE),
            case.unit,
        )
        units = (  # any validity, as the scope pickers: cases date from before a reform
            Unit.objects.within(province)
            .filter(level__in=CASE_LEVELS)
            .select_related("parent")
            .order_by("level", "parent__code", "code")
        )
        model_choice(self, "to_unit").queryset = units
        model_choice(self, "to_worker").queryset = workers_in()


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=CaseOutcome.choices)
    on = DateField(label=_("Closed on"))


class ReopenForm(forms.Form):
    on = DateField(label=_("Reopened on"))
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
