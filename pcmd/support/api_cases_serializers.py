"""Serializers of the support-case API (pcmd/support/api_cases.py).

Reading: a case with its person as a code, and the identity only for the pks in
``context["revealed"]`` (what :func:`pcmd.people.access.reveal_many` granted and logged);
its assessments, goals, services, referrals, follow-ups and transfers. Users are named by
their username, units by GSO code, agencies and service types by code.

Writing: bodies only; the views turn them into the arguments of :mod:`pcmd.support.cases`.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pcmd.agencies.models import Agency
from pcmd.api.common import UnitCodeField
from pcmd.cases.api_serializers import (
    CaseNewPersonSerializer,
    EraDateField,
    PartyIdentitySerializer,
)

from .models import (
    NEED_DOMAINS,
    CaseOrigin,
    CaseOutcome,
    CaseTransfer,
    FollowUp,
    Goal,
    GoalStatus,
    NeedLevel,
    NeedsAssessment,
    RepaymentStatus,
    Service,
    ServiceOutcome,
    ServiceReferral,
    ServiceType,
    SupportCase,
)

USERNAME = 150  # the length of a username (django.contrib.auth)


def _username(source: str, help_text: str = "") -> serializers.CharField:
    return serializers.CharField(
        source=f"{source}.username", read_only=True, allow_null=True, help_text=help_text
    )


# --- reading ---------------------------------------------------------------------------------


class ServiceTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceType
        fields = ["code", "kind", "name", "name_en"]


class SupportCaseSerializer(serializers.ModelSerializer):
    person = serializers.CharField(source="person.code", read_only=True, help_text="Person code")
    identity_shown = serializers.SerializerMethodField(
        help_text="Whether identity is filled (shown to you, and logged)"
    )
    identity = serializers.SerializerMethodField()
    unit = UnitCodeField(read_only=True, help_text="GSO code of the unit in charge")
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    worker = _username("worker", "Username of the case worker")
    supervisor = _username("supervisor", "Username of the supervisor")
    next_followup_on = serializers.DateField(
        read_only=True, allow_null=True, help_text="The earliest follow-up not yet made"
    )
    followup_overdue = serializers.SerializerMethodField(
        help_text="Open, and a follow-up is past its due date"
    )

    class Meta:
        model = SupportCase
        fields = [
            "id",
            "code",
            "version",
            "person",
            "identity_shown",
            "identity",
            "unit",
            "unit_name",
            "origin",
            "origin_note",
            "referral",
            "worker",
            "supervisor",
            "opened_on",
            "status",
            "closed_on",
            "outcome",
            "last_contact_on",
            "next_followup_on",
            "followup_overdue",
            "created_at",
            "updated_at",
        ]

    def _shown(self, obj: SupportCase) -> bool:
        return obj.person_id in self.context.get("revealed", ())

    def get_identity_shown(self, obj: SupportCase) -> bool:
        return self._shown(obj)

    @extend_schema_field(PartyIdentitySerializer(allow_null=True))
    def get_identity(self, obj: SupportCase) -> dict[str, Any] | None:
        if not self._shown(obj):
            return None
        person = obj.person
        return {
            "full_name": person.full_name or "",
            "other_names": person.other_names or "",
            "sex": person.sex,
            "birth_date": person.birth_date.isoformat() if person.birth_date else None,
            "birth_year": person.birth_year,
            "id_number": person.id_number or "",
            "phone": person.phone or "",
        }

    def get_followup_overdue(self, obj: SupportCase) -> bool:
        due = getattr(obj, "next_followup_on", None)
        return bool(obj.status == "open" and due and due < timezone.localdate())


class CaseTransferSerializer(serializers.ModelSerializer):
    case = serializers.CharField(source="case.code", read_only=True)
    from_unit = UnitCodeField(read_only=True)
    to_unit = UnitCodeField(read_only=True)
    from_worker = _username("from_worker")
    to_worker = _username("to_worker")

    class Meta:
        model = CaseTransfer
        fields = ["id", "case", "from_unit", "to_unit", "from_worker", "to_worker", "on", "reason"]


class NeedsAssessmentSerializer(serializers.ModelSerializer):
    by = _username("by", "Who assessed")

    class Meta:
        model = NeedsAssessment
        fields = ["id", "on", *NEED_DOMAINS, "note", "by"]


class GoalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Goal
        fields = ["id", "domain", "text", "due_on", "status"]


class ServiceSerializer(serializers.ModelSerializer):
    type = serializers.CharField(source="type.code", read_only=True, help_text="Service type code")
    type_name = serializers.CharField(source="type.name", read_only=True)
    provider = serializers.CharField(
        source="provider.code", read_only=True, allow_null=True, help_text="Agency code"
    )

    class Meta:
        model = Service
        fields = [
            "id",
            "type",
            "type_name",
            "provider",
            "provider_name",
            "started_on",
            "ended_on",
            "cost",
            "outcome",
            "course",
            "loan_amount",
            "lender",
            "loan_term_months",
            "repayment",
            "note",
        ]


class ServiceReferralSerializer(serializers.ModelSerializer):
    case = serializers.CharField(source="case.code", read_only=True, help_text="Case number")
    type = serializers.CharField(source="type.code", read_only=True, help_text="Service type code")
    type_name = serializers.CharField(source="type.name", read_only=True)
    to_agency = serializers.CharField(
        source="to_agency.code", read_only=True, allow_null=True, help_text="Agency code"
    )
    is_overdue = serializers.SerializerMethodField(help_text="Not answered by its due date")
    consent_override = serializers.SerializerMethodField(
        help_text="Sent without the person's consent, with a reason to review"
    )

    class Meta:
        model = ServiceReferral
        fields = [
            "id",
            "case",
            "type",
            "type_name",
            "to_agency",
            "to_name",
            "sent_on",
            "due_on",
            "is_overdue",
            "status",
            "answered_on",
            "feedback",
            "consent_override",
        ]

    def get_is_overdue(self, obj: ServiceReferral) -> bool:
        return obj.status == "sent" and obj.due_on < timezone.localdate()

    def get_consent_override(self, obj: ServiceReferral) -> bool:
        return obj.override_id is not None


class FollowUpSerializer(serializers.ModelSerializer):
    is_overdue = serializers.SerializerMethodField(help_text="Not made, and past its due date")

    class Meta:
        model = FollowUp
        fields = ["id", "due_on", "done_on", "kind", "note", "is_overdue"]

    def get_is_overdue(self, obj: FollowUp) -> bool:
        return obj.done_on is None and obj.due_on < timezone.localdate()


# --- writing ---------------------------------------------------------------------------------


def _user_field(help_text: str, **kwargs: Any) -> serializers.CharField:
    return serializers.CharField(max_length=USERNAME, help_text=help_text, **kwargs)


class SupportCaseWriteSerializer(serializers.Serializer):
    person = serializers.CharField(
        max_length=30, required=False, help_text="Code of a person you may know of"
    )
    new_person = CaseNewPersonSerializer(required=False, help_text="Or a person not yet recorded")
    unit = serializers.CharField(
        max_length=10, help_text="GSO code of the commune or district in charge"
    )
    origin = serializers.ChoiceField(choices=CaseOrigin.choices)
    origin_note = serializers.CharField(max_length=200, required=False, allow_blank=True)
    referral = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        allow_null=True,
        help_text="Id of the police hand-over the case comes from (origin police)",
    )
    worker = _user_field("Username of a social worker of the unit")
    supervisor = _user_field(
        "Username of the supervisor (optional)", required=False, allow_null=True, allow_blank=True
    )
    opened_on = EraDateField()
    support_consent = serializers.BooleanField(
        help_text="The person consents to support services (a case opens only with it)"
    )
    statistics_consent = serializers.BooleanField(
        required=False, default=False, help_text="The person consents to anonymous statistics"
    )


class SupportCaseChangeSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0, help_text="The version of the case you read")
    worker = _user_field("Username of a social worker of the unit", required=False)
    supervisor = _user_field(
        "Username of the supervisor; null or blank removes it",
        required=False,
        allow_null=True,
        allow_blank=True,
    )


class TransferWriteSerializer(serializers.Serializer):
    to_unit = serializers.CharField(max_length=10, help_text="GSO code of the new unit")
    to_worker = _user_field("Username of a social worker of the new unit")
    on = EraDateField()
    reason = serializers.CharField(max_length=500)


class CloseWriteSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=CaseOutcome.choices)
    on = EraDateField()


class ReopenWriteSerializer(serializers.Serializer):
    on = EraDateField()
    reason = serializers.CharField(max_length=500)


class AssessmentWriteSerializer(serializers.Serializer):
    on = EraDateField()
    health = serializers.ChoiceField(choices=NeedLevel.choices)
    legal = serializers.ChoiceField(choices=NeedLevel.choices)
    housing = serializers.ChoiceField(choices=NeedLevel.choices)
    income = serializers.ChoiceField(choices=NeedLevel.choices)
    family = serializers.ChoiceField(choices=NeedLevel.choices)
    safety = serializers.ChoiceField(choices=NeedLevel.choices)
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class GoalWriteSerializer(serializers.Serializer):
    domain = serializers.ChoiceField(choices=NEED_DOMAINS)
    text = serializers.CharField(max_length=300)
    due_on = EraDateField()


class GoalChangeSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=0, help_text="The version of the case you read (409 if it changed since)"
    )
    status = serializers.ChoiceField(choices=GoalStatus.choices)


def _type_field() -> serializers.SlugRelatedField[ServiceType]:
    return serializers.SlugRelatedField(
        slug_field="code",
        queryset=ServiceType.objects.filter(is_active=True),
        help_text="Service type code (GET /service-types)",
    )


def _agency_field(help_text: str) -> serializers.SlugRelatedField[Agency]:
    return serializers.SlugRelatedField(
        slug_field="code",
        queryset=Agency.objects.all(),
        required=False,
        allow_null=True,
        help_text=help_text,
    )


def _amount(help_text: str) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=14,
        decimal_places=0,
        min_value=0,
        required=False,
        allow_null=True,
        help_text=help_text,
    )


class ServiceWriteSerializer(serializers.Serializer):
    type = _type_field()
    started_on = EraDateField()
    ended_on = EraDateField(required=False, allow_null=True)
    provider = _agency_field("Agency code of the provider")
    provider_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    cost = _amount("Cost in đồng")
    outcome = serializers.ChoiceField(choices=ServiceOutcome.choices, required=False)
    course = serializers.CharField(max_length=200, required=False, allow_blank=True)
    loan_amount = _amount("Loan amount in đồng (loans)")
    lender = serializers.CharField(max_length=200, required=False, allow_blank=True)
    loan_term_months = serializers.IntegerField(
        min_value=0, max_value=600, required=False, allow_null=True
    )
    repayment = serializers.ChoiceField(
        choices=RepaymentStatus.choices, required=False, allow_blank=True
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class ReferralWriteSerializer(serializers.Serializer):
    type = _type_field()
    to_agency = _agency_field("Agency code of the receiving agency")
    to_name = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="The organisation the person consented to (default: the agency's name)",
    )
    sent_on = EraDateField()
    override_reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why the referral goes without the person's consent (people.override)",
    )


class AnswerWriteSerializer(serializers.Serializer):
    accepted = serializers.BooleanField()
    on = EraDateField()
    feedback = serializers.CharField(
        max_length=1000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required when declined",
    )


class FeedbackWriteSerializer(serializers.Serializer):
    on = EraDateField()
    feedback = serializers.CharField(max_length=1000)


class FollowUpWriteSerializer(serializers.Serializer):
    done_on = EraDateField()
    kind = serializers.ChoiceField(choices=["visit", "call", "office"])
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
