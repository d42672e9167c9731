"""REST endpoints of support cases (issue 13): the caseload, intake, assignment, transfer,
closure and reopening, and each case's assessments, goals, services, referrals and
follow-ups; the receiving side's answer and feedback on a referral; the service catalog.

Same scope as the pages: cases through ``SupportCase.objects.visible_to`` (holders of
``support.cases`` over the case's unit; a case outside it, or transferred away, is a 404),
writes through :mod:`pcmd.support.cases`. A person is a code; the identity is filled only where
:func:`pcmd.people.access.reveal_many` grants it (one access-log row each) and only on one
case (detail and intake), never in the caseload list. Consent refusals come back as a 400
naming the field.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pcmd.accounts.models import User
from pcmd.api.common import (
    NO_UNIT_HAS_CODE,
    CapabilityByMethod,
    Conflict,
    api_errors,
    bool_param,
    bool_query,
    capability,
    choice_param,
    choice_query,
    get_or_404,
    int_param,
    int_query,
    require_version,
    resolve_unit,
    text_query,
    within_code,
)
from pcmd.api.errors import BadParameter
from pcmd.cases.api_serializers import person_values
from pcmd.core.concurrency import EditConflict
from pcmd.people import access
from pcmd.people.actions import PersonRefused
from pcmd.people.models import Person, Referral

from . import cases
from .api_cases_serializers import (
    AnswerWriteSerializer,
    AssessmentWriteSerializer,
    CaseTransferSerializer,
    CloseWriteSerializer,
    FeedbackWriteSerializer,
    FollowUpSerializer,
    FollowUpWriteSerializer,
    GoalChangeSerializer,
    GoalSerializer,
    GoalWriteSerializer,
    NeedsAssessmentSerializer,
    ReferralWriteSerializer,
    ReopenWriteSerializer,
    ServiceReferralSerializer,
    ServiceSerializer,
    ServiceTypeSerializer,
    ServiceWriteSerializer,
    SupportCaseChangeSerializer,
    SupportCaseSerializer,
    SupportCaseWriteSerializer,
    TransferWriteSerializer,
)
from .models import NEED_DOMAINS, CaseStatus, FollowUp, ServiceReferral, ServiceType, SupportCase

NO_CASE = _("No support case %(id)s in your scope.")
NO_GOAL = _("No goal %(id)s in this case's plan.")
NO_REFERRAL = _("No service referral %(id)s that you may answer.")
NO_PERSON = _("No person with code %(code)s that you may know of.")
NO_USER = _("No user %(username)s.")
NO_HANDOVER = _("No police hand-over %(id)s that you may take in.")
NO_SUPPORT_CONSENT = _(
    "A support case opens only with the person's consent to support services: ask for it, "
    "and open the case once the person agrees."
)
NO_CONTACT_DAYS = 3650


def _open_followups() -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(case=OuterRef("pk"), done_on__isnull=True).order_by("due_on")


def cases_for(user: Any) -> QuerySet[SupportCase]:
    """The cases ``user`` follows, with the next follow-up due."""
    return (
        SupportCase.objects.visible_to(user)
        .select_related("person", "unit", "worker", "supervisor")
        .annotate(next_followup_on=Subquery(_open_followups().values("due_on")[:1]))
    )


def _reveal(request: Request, rows: list[SupportCase], purpose: str = "") -> set[int]:
    persons = [row.person for row in rows]
    return access.reveal_many(request.user, persons, "api", path=request.path, purpose=purpose)


def _case_data(request: Request, case: SupportCase, purpose: str = "") -> Any:
    revealed = _reveal(request, [case], purpose)
    return SupportCaseSerializer(case, context={"revealed": revealed}).data


def _user(field: str, username: Any) -> User | None:
    """The active user ``username`` (none for a blank value), else a 400 naming ``field``."""
    if username is None or not str(username).strip():
        return None
    user = User.objects.filter(username=str(username).strip(), is_active=True).first()
    if user is None:
        raise BadParameter(field, NO_USER, username=username)
    return user


def _past(on: datetime.date) -> datetime.date | None:
    """The day to resolve a unit code on: none for a future day (the action refuses the date,
    naming its field)."""
    return on if on <= timezone.localdate() else None


class _CaseView(APIView):
    permission_classes = [CapabilityByMethod]
    view_capability = "support.cases"
    edit_capability = "support.cases"

    def case(self, pk: int) -> SupportCase:
        return get_or_404(cases_for(self.request.user), pk, NO_CASE)


# --- the caseload and intake ----------------------------------------------------------------


class SupportCaseList(generics.ListCreateAPIView):
    """Support cases in your scope (person codes only; the identity is on one case). POST
    opens a case (intake): ``person`` (a code) or ``new_person``, with the person's consent
    to support services."""

    permission_classes = [CapabilityByMethod]
    view_capability = "support.cases"
    edit_capability = "support.cases"
    serializer_class = SupportCaseSerializer

    def get_queryset(self) -> QuerySet[SupportCase]:
        request = self.request
        qs = cases_for(request.user)
        if status := choice_param(request, "status", CaseStatus.values):
            qs = qs.filter(status=status)
        if (area := within_code(request, "unit", "unit", NO_UNIT_HAS_CODE)) is not None:
            qs = qs.filter(area)
        if worker := request.query_params.get("worker"):
            qs = qs.filter(worker__username=worker)
        if (overdue := bool_param(request, "overdue")) is not None:
            late = cases.overdue_followups().filter(case=OuterRef("pk"))
            qs = qs.filter(Exists(late)) if overdue else qs.exclude(Exists(late))
        days = int_param(request, "no_contact_days", minimum=1, maximum=NO_CONTACT_DAYS)
        if days is not None:
            qs = qs.filter(pk__in=cases.without_contact(days).values("pk"))
        return qs

    @extend_schema(
        parameters=[
            choice_query("status", CaseStatus.values),
            text_query("unit", "GSO code of the district or commune: that unit and below"),
            text_query("worker", "Username of the case worker"),
            bool_query("overdue", "Open, with a follow-up past its due date"),
            int_query(
                "no_contact_days",
                "Open, with no contact for this many days",
                minimum=1,
                maximum=NO_CONTACT_DAYS,
            ),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=SupportCaseWriteSerializer, responses={201: SupportCaseSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = SupportCaseWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if not data["support_consent"]:
            raise BadParameter("support_consent", NO_SUPPORT_CONSENT)
        person, values = _person(request, data)
        referral = None
        if data.get("referral") is not None:
            referral = get_or_404(
                Referral.objects.visible_to(request.user), data["referral"], NO_HANDOVER
            )
        unit = resolve_unit(data["unit"], _past(data["opened_on"]), "unit")
        try:
            with api_errors():
                case = cases.intake(
                    request.user,
                    person=person,
                    values=values,
                    unit=unit,
                    origin=data["origin"],
                    origin_note=data.get("origin_note", ""),
                    referral=referral,
                    worker=_user("worker", data["worker"]),
                    supervisor=_user("supervisor", data.get("supervisor")),
                    opened_on=data["opened_on"],
                    statistics_consent=data["statistics_consent"],
                )
        except PersonRefused as exc:
            raise PersonInvalid(exc) from None
        found = cases_for(request.user).get(pk=case.pk)
        return Response(_case_data(request, found, purpose="create"), status=201)


class PersonInvalid(BadParameter):
    """The person layer's refusal of ``new_person`` values, as a 400 naming the field."""

    def __init__(self, exc: PersonRefused) -> None:
        self.param = "new_person"
        self.texts = exc.texts
        super(BadParameter, self).__init__({"new_person": [exc.texts["vi"]]})


def _person(request: Request, body: dict[str, Any]) -> tuple[Person | None, Any]:
    """The existing person (by a code the caller may know) or the new person's values."""
    code = (body.get("person") or "").strip()
    person = None
    if code:
        person = Person.objects.visible_to(request.user).filter(code=code).first()
        if person is None:
            raise BadParameter("person", NO_PERSON, code=code)
    values = person_values(body["new_person"]) if body.get("new_person") is not None else None
    return person, values


class SupportCaseDetail(_CaseView):
    """One case, with the person's identity where the person layer grants it (logged). PATCH
    changes the worker or the supervisor (of the case's unit) with the ``version`` read."""

    @extend_schema(responses=SupportCaseSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(_case_data(request, self.case(pk)))

    @extend_schema(request=SupportCaseChangeSerializer, responses=SupportCaseSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        case = self.case(pk)
        version = require_version(request.data)
        body = SupportCaseChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        worker = _user("worker", data["worker"]) if "worker" in data else case.worker
        supervisor = (
            _user("supervisor", data["supervisor"]) if "supervisor" in data else case.supervisor
        )
        with api_errors():
            cases.assign(request.user, case, version=version, worker=worker, supervisor=supervisor)
        return Response(_case_data(request, self.case(pk), purpose="update"))


class SupportCaseTransfer(_CaseView):
    """Hand the case to a social worker of another unit (or of the same unit), with a reason;
    you lose sight of it when the new unit is outside your scope."""

    @extend_schema(request=TransferWriteSerializer, responses={201: CaseTransferSerializer})
    def post(self, request: Request, pk: int) -> Response:
        case = self.case(pk)
        body = TransferWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        to_unit = resolve_unit(data["to_unit"], _past(data["on"]), "to_unit")
        to_worker = _user("to_worker", data["to_worker"])
        with api_errors():
            row = cases.transfer(
                request.user,
                case,
                to_unit=to_unit,
                to_worker=to_worker,
                on=data["on"],
                reason=data["reason"],
            )
        return Response(CaseTransferSerializer(row).data, status=201)


class SupportCaseClose(_CaseView):
    """Close the case with its outcome."""

    @extend_schema(request=CloseWriteSerializer, responses=SupportCaseSerializer)
    def post(self, request: Request, pk: int) -> Response:
        case = self.case(pk)
        body = CloseWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        with api_errors():
            cases.close_case(request.user, case, outcome=data["outcome"], on=data["on"])
        return Response(SupportCaseSerializer(self.case(pk)).data)


class SupportCaseReopen(_CaseView):
    """Reopen a closed case with a reason (the person must still consent to support)."""

    @extend_schema(request=ReopenWriteSerializer, responses=SupportCaseSerializer)
    def post(self, request: Request, pk: int) -> Response:
        case = self.case(pk)
        body = ReopenWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        with api_errors():
            cases.reopen(request.user, case, on=data["on"], reason=data["reason"])
        return Response(SupportCaseSerializer(self.case(pk)).data)


# --- the work on a case ---------------------------------------------------------------------


class SupportCaseAssessments(_CaseView):
    """Needs assessments, the latest first; POST records one (a level for each domain)."""

    @extend_schema(responses=NeedsAssessmentSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        rows = self.case(pk).assessments.select_related("by")
        return Response(NeedsAssessmentSerializer(rows, many=True).data)

    @extend_schema(request=AssessmentWriteSerializer, responses={201: NeedsAssessmentSerializer})
    def post(self, request: Request, pk: int) -> Response:
        case = self.case(pk)
        body = AssessmentWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        with api_errors():
            row = cases.assess(
                request.user,
                case,
                on=data["on"],
                levels={d: data[d] for d in NEED_DOMAINS},
                note=data["note"],
            )
        return Response(NeedsAssessmentSerializer(row).data, status=201)


class SupportCaseGoals(_CaseView):
    """The service plan's goals; POST adds one."""

    @extend_schema(responses=GoalSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        return Response(GoalSerializer(self.case(pk).goals.all(), many=True).data)

    @extend_schema(request=GoalWriteSerializer, responses={201: GoalSerializer})
    def post(self, request: Request, pk: int) -> Response:
        case = self.case(pk)
        body = GoalWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        with api_errors():
            goal = cases.add_goal(
                request.user, case, domain=data["domain"], text=data["text"], due_on=data["due_on"]
            )
        return Response(GoalSerializer(goal).data, status=201)


class SupportCaseGoal(_CaseView):
    """Mark a goal achieved, dropped or in progress, with the case's ``version``."""

    @extend_schema(request=GoalChangeSerializer, responses=GoalSerializer)
    def patch(self, request: Request, pk: int, goal_id: int) -> Response:
        case = self.case(pk)
        goal = get_or_404(case.goals.all(), goal_id, NO_GOAL)
        version = require_version(request.data)
        body = GoalChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if case.version != version:
            raise Conflict(EditConflict(case))
        goal.case = case
        with api_errors():
            goal = cases.set_goal_status(request.user, goal, status=body.validated_data["status"])
        return Response(GoalSerializer(goal).data)


class SupportCaseServices(_CaseView):
    """Services delivered; POST records one (only while the person consents to support;
    a loan needs its amount and lender)."""

    @extend_schema(responses=ServiceSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        rows = self.case(pk).services.select_related("type", "provider")
        return Response(ServiceSerializer(rows, many=True).data)

    @extend_schema(request=ServiceWriteSerializer, responses={201: ServiceSerializer})
    def post(self, request: Request, pk: int) -> Response:
        case = self.case(pk)
        body = ServiceWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        kind, started_on = data.pop("type"), data.pop("started_on")
        values = {k: v for k, v in data.items() if k in cases.SERVICE_FIELDS and v is not None}
        with api_errors():
            service = cases.record_service(
                request.user, case, type=kind, started_on=started_on, values=values
            )
        return Response(ServiceSerializer(service).data, status=201)


def _referrals(case: SupportCase) -> QuerySet[ServiceReferral]:
    return case.referrals.select_related("case", "type", "to_agency")


class SupportCaseReferrals(_CaseView):
    """Referrals for a service, the latest first; POST sends one: only with the person's
    consent naming the organisation, or an ``override_reason`` from a holder of
    ``people.override`` (kept for review)."""

    @extend_schema(responses=ServiceReferralSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        return Response(ServiceReferralSerializer(_referrals(self.case(pk)), many=True).data)

    @extend_schema(request=ReferralWriteSerializer, responses={201: ServiceReferralSerializer})
    def post(self, request: Request, pk: int) -> Response:
        case = self.case(pk)
        body = ReferralWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        with api_errors():
            row = cases.refer(
                request.user,
                case,
                type=data["type"],
                to_name=data["to_name"],
                to_agency=data.get("to_agency"),
                sent_on=data["sent_on"],
                override_reason=data["override_reason"],
            )
        return Response(ServiceReferralSerializer(_referrals(case).get(pk=row.pk)).data, status=201)


class SupportCaseFollowUps(_CaseView):
    """The follow-up schedule (made and due); POST records a contact, which fulfils the
    earliest follow-up due."""

    @extend_schema(responses=FollowUpSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        return Response(FollowUpSerializer(self.case(pk).followups.all(), many=True).data)

    @extend_schema(request=FollowUpWriteSerializer, responses={201: FollowUpSerializer})
    def post(self, request: Request, pk: int) -> Response:
        case = self.case(pk)
        body = FollowUpWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        with api_errors():
            row = cases.record_followup(
                request.user, case, done_on=data["done_on"], kind=data["kind"], note=data["note"]
            )
        return Response(FollowUpSerializer(row).data, status=201)


# --- the receiving side ---------------------------------------------------------------------


def referrals_for(user: Any) -> QuerySet[ServiceReferral]:
    """The referrals ``user`` may answer: those sent to the user's agency, and those of the
    cases the user follows (an organisation outside PCMD answers through the case worker)."""
    agencies = [a.agency_id for a in user.active_assignments if a.agency_id is not None]
    return ServiceReferral.objects.filter(
        Q(to_agency__in=agencies) | Q(case__in=SupportCase.objects.visible_to(user))
    ).select_related("case", "type", "to_agency")


class _ReferralView(APIView):
    def referral(self, pk: int) -> ServiceReferral:
        return get_or_404(referrals_for(self.request.user), pk, NO_REFERRAL)


class ServiceReferralAnswer(_ReferralView):
    """Accept or decline a referral (the receiving agency's officers, or the case's workers
    for an organisation outside PCMD); a decline needs the reason in ``feedback``."""

    @extend_schema(request=AnswerWriteSerializer, responses=ServiceReferralSerializer)
    def post(self, request: Request, pk: int) -> Response:
        referral = self.referral(pk)
        body = AnswerWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        with api_errors():
            cases.answer(
                request.user,
                referral,
                accepted=data["accepted"],
                on=data["on"],
                feedback=data["feedback"],
            )
        return Response(ServiceReferralSerializer(self.referral(pk)).data)


class ServiceReferralFeedback(_ReferralView):
    """Return what the service gave, on an accepted referral (the same answerers)."""

    @extend_schema(request=FeedbackWriteSerializer, responses=ServiceReferralSerializer)
    def post(self, request: Request, pk: int) -> Response:
        referral = self.referral(pk)
        body = FeedbackWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        with api_errors():
            cases.give_feedback(request.user, referral, on=data["on"], feedback=data["feedback"])
        return Response(ServiceReferralSerializer(self.referral(pk)).data)


class ServiceTypeList(generics.ListAPIView):
    """The catalog of services (training, jobs, loans, health, legal aid, counselling…)."""

    permission_classes = [capability("support.cases")]
    serializer_class = ServiceTypeSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[ServiceType]:
        return ServiceType.objects.filter(is_active=True)
