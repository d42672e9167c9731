"""REST endpoints of criminal cases, their stages, persons and trials, and of rings.

Same scope and object permissions as the pages: reads through ``Case.objects.visible_to`` and
``Ring.objects.visible_to`` (a record outside them is a 404), writes through
:mod:`pcmd.cases.actions`, which refuse (403) a stage the caller's agency does not own. A
person is a code; the identity of a party or a ring member is filled only where
:func:`pcmd.people.access.reveal_many` grants it (one access-log row each), and never for a
person under 18.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

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
    require_version,
    resolve_unit,
    text_query,
    within_code,
    year_param,
    year_query,
)
from pcmd.api.errors import BadParameter, NotFoundBilingual
from pcmd.core.concurrency import EditConflict
from pcmd.people import access
from pcmd.people.actions import PersonRefused
from pcmd.people.models import Person

from . import actions, legal, rules
from .api_serializers import (
    CaseDeadlineSerializer,
    CaseDecisionSerializer,
    CaseExtensionSerializer,
    CasePartyChangeSerializer,
    CasePartySerializer,
    CasePartyWriteSerializer,
    CaseResumeSerializer,
    CaseSerializer,
    CaseStepSerializer,
    CaseTrialSerializer,
    CaseTrialWriteSerializer,
    CaseWriteSerializer,
    OffenceSerializer,
    RemovalSerializer,
    RingMemberSerializer,
    RingMemberWriteSerializer,
    RingSerializer,
    RingWriteSerializer,
    person_values,
)
from .models import Case, CaseParty, Offence, Ring, RingMember, Stage, Step, Trial

NO_CASE = _("No criminal case %(id)s in your scope.")
NO_RING = _("No ring %(id)s in your scope.")
NO_PARTY = _("No person %(id)s is named in this case.")
NO_MEMBER = _("No member %(id)s in this ring.")
NO_TRIAL = _("No trial has been recorded for this case.")
NO_PERSON = _("No person with code %(code)s that you may know of.")


class _CaseView(APIView):
    """Reads need ``cases.view``; writes the view's ``edit_capability``: ``cases.view`` where
    the action decides by the stage's owner (the procuracy and the court write too)."""

    permission_classes = [CapabilityByMethod]
    view_capability = "cases.view"
    edit_capability = "cases.view"

    def case(self, pk: int) -> Case:
        return get_or_404(cases_for(self.request.user), pk, NO_CASE)


def cases_for(user: Any) -> QuerySet[Case]:
    return (
        Case.objects.visible_to(user)
        .select_related("commune", "detected_by")
        .prefetch_related("offences", "establishments", "hotspots", "inspections", "violations")
    )


def _reveal(request: Request, rows: list[Any], purpose: str = "") -> set[int]:
    """Reveal (and log) the persons of ``rows`` that are not minors."""
    persons = [row.person for row in rows if not getattr(row, "is_minor", True)]
    return access.reveal_many(request.user, persons, "api", path=request.path, purpose=purpose)


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


class PersonInvalid(BadParameter):
    """The person layer's refusal of ``new_person`` values, as a 400 naming the field."""

    def __init__(self, exc: PersonRefused) -> None:
        self.param = "new_person"
        self.texts = exc.texts
        super(BadParameter, self).__init__({"new_person": [exc.texts["vi"]]})


def _reason(request: Request) -> str:
    """A DELETE's reason, from the JSON body or the query string."""
    data = request.data if hasattr(request.data, "get") else {}
    raw = data.get("reason") or request.query_params.get("reason") or ""
    body = RemovalSerializer(data={"reason": raw if isinstance(raw, str) else ""})
    body.is_valid(raise_exception=True)
    return str(body.validated_data["reason"])


REASON_QUERY = text_query("reason", "Why the person is removed (or in the JSON body)")


# --- cases -----------------------------------------------------------------------------------


class CaseList(generics.ListCreateAPIView):
    """Case files in your scope. POST records a report received (police: ``cases.edit``)."""

    permission_classes = [CapabilityByMethod]
    view_capability = "cases.view"
    edit_capability = "cases.edit"
    serializer_class = CaseSerializer

    def get_queryset(self) -> QuerySet[Case]:
        request = self.request
        qs = cases_for(request.user)
        if (year := year_param(request)) is not None:
            qs = qs.filter(detected_on__year=year)
        if (area := within_code(request, "unit", "commune", NO_UNIT_HAS_CODE)) is not None:
            qs = qs.filter(area)
        if stage := choice_param(request, "stage", Stage.values):
            qs = qs.filter(stage=stage)
        if (handled := bool_param(request, "handled")) is not None:
            qs = qs.filter(handled_on__isnull=not handled)
        if (overdue := bool_param(request, "overdue")) is not None:
            late = Step.objects.filter(
                case=OuterRef("pk"), decided_on__isnull=True, due_on__lt=timezone.localdate()
            )
            qs = qs.filter(Exists(late)) if overdue else qs.exclude(Exists(late))
        return qs

    @extend_schema(
        parameters=[
            year_query("year", "Year detected"),
            text_query("unit", "GSO code of the district or commune"),
            choice_query("stage", Stage.values),
            bool_query("handled", "Reached a terminal outcome"),
            bool_query("overdue", "An open stage is past its time limit"),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=CaseWriteSerializer, responses={201: CaseSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = CaseWriteSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        values, links = _case_values(body.validated_data, None)
        with api_errors():
            case = actions.create_case(request.user, values=values, links=links)
        return Response(CaseSerializer(cases_for(request.user).get(pk=case.pk)).data, status=201)


def _past(on: datetime.date | None) -> datetime.date | None:
    """The day to resolve a unit code on: none for a future day (the action refuses the date
    itself, naming its field)."""
    return on if on is not None and on <= timezone.localdate() else None


def _case_values(data: dict[str, Any], case: Case | None) -> tuple[dict[str, Any], dict[str, Any]]:
    values = {n: data[n] for n in actions.CASE_FIELDS if n in data}
    if "commune" in data:
        on = data.get("detected_on") or (case.detected_on if case else None)
        values["commune"] = resolve_unit(data["commune"], _past(on), "commune")
    links = {n: data[n] for n in actions.CASE_LINKS if n in data}
    return values, links


class CaseDetail(_CaseView):
    """One case file. PATCH (police) needs the ``version`` read; a stale one gives 409."""

    edit_capability = "cases.edit"

    @extend_schema(responses=CaseSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(CaseSerializer(self.case(pk)).data)

    @extend_schema(request=CaseWriteSerializer, responses=CaseSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        case = self.case(pk)
        version = require_version(request.data)
        body = CaseWriteSerializer(data=request.data, partial=True, context={"request": request})
        body.is_valid(raise_exception=True)
        values, links = _case_values(body.validated_data, case)
        with api_errors():
            actions.update_case(request.user, case, version=version, values=values, links=links)
        return Response(CaseSerializer(self.case(pk)).data)


# --- stages ----------------------------------------------------------------------------------


def _steps(case: Case) -> QuerySet[Step]:
    return case.steps.select_related("agency").order_by("started_on", "pk")


class CaseSteps(_CaseView):
    """The case's timeline: each stage with its clock (due date, extensions), the legal source
    of its time limit and the decision that ended it."""

    @extend_schema(responses=CaseStepSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        return Response(CaseStepSerializer(_steps(self.case(pk)), many=True).data)


class CaseDecisions(_CaseView):
    """Take a decision on the open stage: only the agency that owns it may (police: received
    and investigation; procuracy: prosecution; court: trial preparation, trial, enforcement)."""

    @extend_schema(request=CaseDecisionSerializer, responses={201: CaseSerializer})
    def post(self, request: Request, pk: int) -> Response:
        case = self.case(pk)
        body = CaseDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        with api_errors():
            actions.decide(
                request.user,
                case,
                decision=data["decision"],
                on=data["on"],
                document=data["document"],
                reason=data["reason"],
                agency=data.get("agency"),
                version=data.get("version"),
            )
        return Response(CaseSerializer(self.case(pk)).data, status=201)


class CaseExtension(_CaseView):
    """Extend the open stage's time limit to the next one the law allows (its owner)."""

    @extend_schema(request=CaseExtensionSerializer, responses=CaseStepSerializer)
    def post(self, request: Request, pk: int) -> Response:
        case = self.case(pk)
        body = CaseExtensionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with api_errors():
            step = actions.extend(
                request.user,
                case,
                reason=body.validated_data["reason"],
                version=body.validated_data.get("version"),
            )
        return Response(CaseStepSerializer(step).data)


class CaseResume(_CaseView):
    """Resume a suspended case: its stage opens again with a fresh clock (its owner)."""

    @extend_schema(request=CaseResumeSerializer, responses={201: CaseStepSerializer})
    def post(self, request: Request, pk: int) -> Response:
        case = self.case(pk)
        body = CaseResumeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with api_errors():
            step = actions.resume(
                request.user,
                case,
                on=body.validated_data["on"],
                version=body.validated_data.get("version"),
            )
        return Response(CaseStepSerializer(step).data, status=201)


# --- persons in a case -----------------------------------------------------------------------


def _parties(case: Case) -> QuerySet[CaseParty]:
    return case.parties.select_related("person").order_by("pk")


class CaseParties(_CaseView):
    """The persons named in the case, with role and standing; identities where the person
    layer grants them (logged), never of a person under 18. POST (police) names a person:
    ``person`` (a code) or ``new_person``."""

    edit_capability = "cases.edit"

    @extend_schema(responses=CasePartySerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        rows = list(_parties(self.case(pk)))
        revealed = _reveal(request, rows)
        return Response(CasePartySerializer(rows, many=True, context={"revealed": revealed}).data)

    @extend_schema(request=CasePartyWriteSerializer, responses={201: CasePartySerializer})
    def post(self, request: Request, pk: int) -> Response:
        case = self.case(pk)
        body = CasePartyWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        person, values = _person(request, data)
        try:
            with api_errors():
                party = actions.add_party(
                    request.user,
                    case,
                    role=data["role"],
                    standing=data["standing"],
                    person=person,
                    values=values,
                )
        except PersonRefused as exc:
            raise PersonInvalid(exc) from None
        party = _parties(case).get(pk=party.pk)
        revealed = _reveal(request, [party], purpose="create")
        return Response(CasePartySerializer(party, context={"revealed": revealed}).data, status=201)


class CasePartyDetail(_CaseView):
    """PATCH a person's role and standing (police, procuracy, court) or sentence (court), with
    the case's ``version``; DELETE removes the person (police) with a ``reason``."""

    def party(self, pk: int, party_id: int) -> CaseParty:
        return get_or_404(_parties(self.case(pk)), party_id, NO_PARTY)

    @extend_schema(request=CasePartyChangeSerializer, responses=CasePartySerializer)
    def patch(self, request: Request, pk: int, party_id: int) -> Response:
        party = self.party(pk, party_id)
        version = require_version(request.data)
        body = CasePartyChangeSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        if party.case.version != version:
            raise Conflict(EditConflict(party.case))
        changes = {k: v for k, v in body.validated_data.items() if k != "version"}
        with api_errors():
            party = actions.change_party(request.user, party, **changes)
        revealed = _reveal(request, [party], purpose="update")
        return Response(CasePartySerializer(party, context={"revealed": revealed}).data)

    @extend_schema(parameters=[REASON_QUERY], request=None, responses={204: None})
    def delete(self, request: Request, pk: int, party_id: int) -> Response:
        party = self.party(pk, party_id)
        reason = _reason(request)
        with api_errors():
            actions.remove_party(request.user, party, reason=reason)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- trial -----------------------------------------------------------------------------------


class CaseTrial(_CaseView):
    """The hearing (court). PUT records it, or corrects it with the ``version`` read. No
    mobile trial when a participant is under 18, a closed hearing when a victim is
    (Circular 02/2018/TT-TANDTC): refused as 400 naming ``is_mobile`` / ``is_closed``."""

    @extend_schema(responses=CaseTrialSerializer)
    def get(self, request: Request, pk: int) -> Response:
        trial = Trial.objects.filter(case=self.case(pk)).select_related("court", "location")
        found = trial.first()
        if found is None:
            raise NotFoundBilingual(NO_TRIAL)
        return Response(CaseTrialSerializer(found).data)

    @extend_schema(request=CaseTrialWriteSerializer, responses=CaseTrialSerializer)
    def put(self, request: Request, pk: int) -> Response:
        case = self.case(pk)
        body = CaseTrialWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        version = values.pop("version", None)
        if Trial.objects.filter(case=case).exists():
            version = require_version(request.data)
        code = values.pop("location", None)
        on = _past(values["held_on"])
        values["location"] = resolve_unit(code, on, "location") if code else None
        with api_errors():
            trial = actions.record_trial(request.user, case, values=values, version=version)
        return Response(CaseTrialSerializer(trial).data)


# --- rings -----------------------------------------------------------------------------------


def rings_for(user: Any) -> QuerySet[Ring]:
    return (
        Ring.objects.visible_to(user)
        .select_related("unit")
        .prefetch_related(
            "establishments",
            "cases",
            Prefetch("members", queryset=RingMember.objects.select_related("person")),
        )
    )


def flag_minors(rings: list[Ring]) -> list[RingMember]:
    """Set ``is_minor`` on each member: under 18 when the ring was detected, or named as a
    minor in a case. Returns the members."""
    members = [m for ring in rings for m in ring.members.all()]
    named = set(
        CaseParty.objects.filter(
            person_id__in=[m.person_id for m in members], is_minor=True
        ).values_list("person_id", flat=True)
    )
    by_pk = {ring.pk: ring for ring in rings}
    for member in members:
        ring = by_pk[member.ring_id]
        member.is_minor = member.person_id in named or rules.is_minor(  # type: ignore[attr-defined]
            member.person, ring.detected_on
        )
    return members


def _ring_data(request: Request, rings: list[Ring], *, reveal: bool, purpose: str = "") -> Any:
    members = flag_minors(rings)
    revealed = _reveal(request, members, purpose) if reveal else set()
    visible = set(
        Case.objects.visible_to(request.user).filter(ring__in=rings).values_list("pk", flat=True)
    )
    context = {"revealed": revealed, "visible_cases": visible}
    return RingSerializer(rings, many=True, context=context).data


def _ring_values(data: dict[str, Any]) -> dict[str, Any]:
    values = {n: data[n] for n in actions.RING_FIELDS if n in data}
    if "unit" in data:
        values["unit"] = resolve_unit(data["unit"], _past(data.get("detected_on")), "unit")
    return values


class RingList(generics.ListCreateAPIView):
    """Rings in your scope, with members (codes only), cases and whether handled. POST
    (police) records one."""

    permission_classes = [CapabilityByMethod]
    view_capability = "cases.view"
    edit_capability = "cases.edit"
    serializer_class = RingSerializer

    def get_queryset(self) -> QuerySet[Ring]:
        qs = rings_for(self.request.user)
        if (year := year_param(self.request)) is not None:
            qs = qs.filter(detected_on__year=year)
        return qs

    @extend_schema(parameters=[year_query("year", "Year detected")])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        qs = self.get_queryset()
        page = self.paginate_queryset(qs)
        rows = list(page if page is not None else qs)
        return self.get_paginated_response(_ring_data(request, rows, reveal=False))

    @extend_schema(request=RingWriteSerializer, responses={201: RingSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = RingWriteSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = body.validated_data
        with api_errors():
            ring = actions.create_ring(
                request.user,
                values=_ring_values(data),
                establishments=data.get("establishments", ()),
            )
        ring = rings_for(request.user).get(pk=ring.pk)
        return Response(_ring_data(request, [ring], reveal=False)[0], status=201)


class _RingView(APIView):
    permission_classes = [CapabilityByMethod]
    view_capability = "cases.view"
    edit_capability = "cases.edit"

    def ring(self, pk: int) -> Ring:
        return get_or_404(rings_for(self.request.user), pk, NO_RING)


class RingDetail(_RingView):
    """One ring: members (identities where granted, logged; never of a minor), cases with
    their stage, establishments, and ``handled`` (it has cases and all are handled)."""

    @extend_schema(responses=RingSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(_ring_data(request, [self.ring(pk)], reveal=True)[0])

    @extend_schema(request=RingWriteSerializer, responses=RingSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        ring = self.ring(pk)
        version = require_version(request.data)
        body = RingWriteSerializer(data=request.data, partial=True, context={"request": request})
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        if "unit" in data and "detected_on" not in data:
            data["detected_on"] = ring.detected_on
        with api_errors():
            actions.update_ring(
                request.user,
                ring,
                version=version,
                values=_ring_values(data),
                establishments=data.get("establishments"),
            )
        return Response(_ring_data(request, [self.ring(pk)], reveal=False)[0])


class RingMembers(_RingView):
    """Add a member (police): ``person`` (a code) or ``new_person``, with the role."""

    @extend_schema(request=RingMemberWriteSerializer, responses={201: RingMemberSerializer})
    def post(self, request: Request, pk: int) -> Response:
        ring = self.ring(pk)
        body = RingMemberWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        person, values = _person(request, data)
        try:
            with api_errors():
                member = actions.add_member(
                    request.user, ring, role=data["role"], person=person, values=values
                )
        except PersonRefused as exc:
            raise PersonInvalid(exc) from None
        ring = self.ring(pk)
        members = flag_minors([ring])
        member = next(m for m in members if m.pk == member.pk)
        revealed = _reveal(request, [member], purpose="create")
        return Response(
            RingMemberSerializer(member, context={"revealed": revealed}).data, status=201
        )


class RingMemberDetail(_RingView):
    """Remove a member (police) with a ``reason``."""

    @extend_schema(parameters=[REASON_QUERY], request=None, responses={204: None})
    def delete(self, request: Request, pk: int, member_id: int) -> Response:
        ring = self.ring(pk)
        member = get_or_404(ring.members.select_related("person"), member_id, NO_MEMBER)
        reason = _reason(request)
        with api_errors():
            actions.remove_member(request.user, member, reason=reason)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- the law as data -------------------------------------------------------------------------


class OffenceList(generics.ListAPIView):
    """The Penal Code clauses in use, with their penalty band, category and legal source."""

    permission_classes = [capability("cases.view")]
    serializer_class = OffenceSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Offence]:
        return Offence.objects.filter(is_active=True)


class DeadlineList(APIView):
    """The procedural time limits per stage (Criminal Procedure Code), with their sources."""

    permission_classes = [capability("cases.view")]

    @extend_schema(responses=CaseDeadlineSerializer(many=True))
    def get(self, request: Request) -> Response:
        rows = [
            {
                "stage": stage.stage,
                "owner": stage.owner,
                "legal_source": stage.source,
                "limits": [
                    {"category": category, "limits": list(limits)}
                    for category, limits in stage.limits.items()
                ],
            }
            for stage in legal.stage_limits().values()
        ]
        return Response(CaseDeadlineSerializer(rows, many=True).data)
