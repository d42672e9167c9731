"""REST endpoints of plans: list and read, copy into a draft, edit the header and content
(whole, or one target or task heading at a time), comment, submit, send back, issue, close,
delete a draft, and read the versions.

Reads go through ``Plan.objects.visible_to`` (a plan outside it is a 404: another province's,
or a draft for a user who neither edits nor comments); writes through
:mod:`pcmd.plans.actions`, which check the permission on the plan (403), the plan's status
and the ``version`` the client read (409). Content errors from ``structure.check`` come back
as a 400 whose ``fields`` are the content's paths (``targets[2].value``; ``value`` for the
one target of ``/targets/<code>``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.db.models import F, Prefetch, QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pcmd.api.common import (
    CapabilityByMethod,
    api_errors,
    choice_param,
    choice_query,
    get_or_404,
    int_query,
    parse_int,
    text_query,
    year_param,
    year_query,
)
from pcmd.api.errors import BadParameter, NotFoundBilingual
from pcmd.geo.models import Unit, UnitLevel

from . import actions
from .api_serializers import (
    STORED,
    CommentWriteSerializer,
    CopySerializer,
    HeaderSerializer,
    HeadingWriteSerializer,
    IssueSerializer,
    PlanCommentSerializer,
    PlanContentSerializer,
    PlanDetailSerializer,
    PlanSerializer,
    PlanVersionDetailSerializer,
    PlanVersionSerializer,
    ResolveSerializer,
    ReturnSerializer,
    TargetSerializer,
    TargetWriteSerializer,
    TaskGroupSerializer,
    VersionSerializer,
)
from .models import BINDING, Plan, PlanType, TaskGroup
from .selectors import provinces_of
from .structure import StructureError, to_data

NO_PLAN = _("No plan %(id)s that you may read.")
NO_TARGET = _("The plan has no target %(code)s.")
NO_HEADING = _("The plan has no task heading %(code)s.")
NO_COMMENT = _("No comment %(id)s on this plan.")
NO_VERSION = _("The plan has no version %(id)s.")
NO_PROVINCE = _("No province has the code %(code)s.")
NOT_A_PARENT = _("No issued plan %(id)s that you may read.")
CODE_TAKEN = _("The plan already has %(code)s.")
CODE_FIXED = _("The code is the one in the address; add a new one instead of renaming.")


def plans_for(user: Any) -> QuerySet[Plan]:
    return Plan.objects.visible_to(user).select_related("unit", "issuer")


def plan_detail(user: Any, pk: int) -> dict[str, Any]:
    plan = get_or_404(
        plans_for(user).prefetch_related(
            "objectives",
            "solution_areas",
            "targets__responsible",
            Prefetch(
                "task_groups",
                queryset=TaskGroup.objects.select_related("lead").prefetch_related(
                    "agencies", "tasks"
                ),
            ),
        ),
        pk,
        NO_PLAN,
    )
    return dict(PlanDetailSerializer(plan).data)


class _PlanView(APIView):
    """Reads need ``plan.view``; writes ``edit_capability`` (the action then decides on the
    plan itself: its province, the caller's role there)."""

    permission_classes = [CapabilityByMethod]
    view_capability = "plan.view"
    edit_capability = "plan.edit"

    def plan(self, pk: int) -> Plan:
        return get_or_404(plans_for(self.request.user), pk, NO_PLAN)


def _body(serializer: Any, request: Request, **kwargs: Any) -> dict[str, Any]:
    body = serializer(data=request.data, **kwargs)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


# --- plans -----------------------------------------------------------------------------------


class PlanList(generics.ListAPIView):
    """Plans you may read (drafts only if you edit plans or are consulted on them)."""

    permission_classes = [CapabilityByMethod]
    view_capability = "plan.view"
    edit_capability = "plan.edit"
    serializer_class = PlanSerializer

    def get_queryset(self) -> QuerySet[Plan]:
        request = self.request
        qs = plans_for(request.user)
        if plan_status := choice_param(request, "status", STORED):
            qs = qs.filter(status=plan_status)
        if plan_type := choice_param(request, "type", PlanType.values):
            qs = qs.filter(plan_type=plan_type)
        if (year := year_param(request)) is not None:
            qs = qs.filter(period_start__year__lte=year, period_end__year__gte=year)
        if code := request.query_params.get("unit"):
            qs = qs.filter(unit_id__in=provinces_of(_unit(code, "unit")))
        return qs

    @extend_schema(
        parameters=[
            choice_query("status", STORED, "Stored status"),
            choice_query("type", PlanType.values, "Type of plan"),
            year_query("year", "Plans whose period covers the year"),
            text_query("unit", "GSO code of a unit: the plans of its province"),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


def _unit(code: str, field: str) -> Unit:
    """The unit that has (or had) GSO ``code``, its latest record."""
    unit = (
        Unit.objects.filter(code=str(code).strip()[:20])
        .order_by(F("valid_to").desc(nulls_first=True))
        .first()
    )
    if unit is None:
        raise BadParameter(field, NO_PROVINCE, code=str(code)[:20])
    return unit


VERSION_QUERY = int_query("version", "The plan's version you read (or in the JSON body)")


class PlanDetail(_PlanView):
    """One plan with its content. PATCH changes a draft's header (title, place, period,
    signer, the plan it implements, preamble, closing); DELETE throws a draft away."""

    @extend_schema(responses=PlanDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(plan_detail(request.user, pk))

    @extend_schema(request=HeaderSerializer, responses=PlanDetailSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        plan = self.plan(pk)
        values = _body(HeaderSerializer, request, partial=True)
        if "version" not in values:
            _body(VersionSerializer, request)  # names the missing version
        version = values.pop("version")
        if "parent" in values and values["parent"] is not None:
            parent_id = values["parent"]
            values["parent"] = (
                plans_for(request.user).filter(pk=parent_id, status__in=BINDING).first()
            )
            if values["parent"] is None:
                raise BadParameter("parent", NOT_A_PARENT, id=parent_id)
        with api_errors():
            actions.update_header(plan, values, actor=request.user, version=version)
        return Response(plan_detail(request.user, pk))

    @extend_schema(parameters=[VERSION_QUERY], request=None, responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        plan = self.plan(pk)
        with api_errors():
            actions.delete_draft(plan, actor=request.user, version=_query_version(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


def _query_version(request: Request) -> int:
    data = request.data if hasattr(request.data, "get") else {}
    raw = data.get("version", request.query_params.get("version"))
    if raw is None:
        _body(VersionSerializer, request)  # the 400 naming the version
    return parse_int(raw, "version")


class PlanCopy(_PlanView):
    """A new draft with this plan's content (next year's plan from this year's); ``unit``
    puts it in another province (after the 2025 reform, the new one)."""

    @extend_schema(request=CopySerializer, responses={201: PlanDetailSerializer})
    def post(self, request: Request, pk: int) -> Response:
        source = self.plan(pk)
        data = _body(CopySerializer, request)
        unit = None
        if data.get("unit"):
            unit = _unit(data["unit"], "unit")
            if unit.level != UnitLevel.PROVINCE:
                raise BadParameter("unit", NO_PROVINCE, code=data["unit"])
        with api_errors():
            plan = actions.copy_plan(
                source,
                actor=request.user,
                period_start=data["period_start"],
                period_end=data["period_end"],
                title=data.get("title", ""),
                unit=unit,
                plan_type=data.get("plan_type") or PlanType.YEARLY,
            )
        return Response(plan_detail(request.user, plan.pk), status=201)


# --- content ---------------------------------------------------------------------------------


class ContentInvalid(exceptions.ValidationError):
    """``structure.check``'s errors as a 400: ``fields`` by path (in Vietnamese, like every
    field message), the first one in both languages as the message."""

    def __init__(self, fields: dict[str, str], texts: dict[str, str]) -> None:
        self.texts = texts
        super().__init__({path: [message] for path, message in fields.items()})


def _content_errors(
    plan: Plan, part: dict[str, Any], rename: Callable[[str], str]
) -> ContentInvalid | None:
    """The content's errors in Vietnamese and English: ``check`` words them in the active
    language, so it runs once in each."""
    merged = {**to_data(plan), **part}
    found: dict[str, dict[str, str]] = {}
    for lang in ("vi", "en"):
        with translation.override(lang):
            try:
                actions.check_for(plan, merged)
            except StructureError as exc:
                # paths of top-level texts come as ".preamble"
                found[lang] = {rename(path.lstrip(".")): m for path, m in exc.errors.items()}
            else:
                found[lang] = {}
    first = next(iter(found["vi"]), None)
    if first is None:
        return None
    texts = {"vi": found["vi"][first], "en": found["en"].get(first, found["vi"][first])}
    return ContentInvalid(found["vi"], texts)


def _save(request: Request, plan: Plan, part: dict[str, Any], version: int, **kw: Any) -> None:
    """``save_content`` with content errors as a 400 naming each path (``rename`` shortens
    the paths of the one item an endpoint edits)."""
    rename: Callable[[str], str] = kw.pop("rename", lambda path: path)
    with api_errors():
        try:
            actions.save_content(plan, part, actor=request.user, version=version, **kw)
        except StructureError:
            refusal = _content_errors(plan, part, rename)
            if refusal is None:  # pragma: no cover - check passed the second time
                raise
            raise refusal from None


class PlanContent(_PlanView):
    """The plan's current content in the structure shape (``pcmd/plans/structure.py``) with
    its version; PUT replaces a draft's content (parts left out stay as they are)."""

    @extend_schema(responses=PlanContentSerializer)
    def get(self, request: Request, pk: int) -> Response:
        plan = self.plan(pk)
        return Response({"version": plan.version, "data": to_data(plan)})

    @extend_schema(request=PlanContentSerializer, responses=PlanContentSerializer)
    def put(self, request: Request, pk: int) -> Response:
        plan = self.plan(pk)
        body = _body(PlanContentSerializer, request)
        _save(request, plan, body["data"], body["version"])
        plan = self.plan(pk)
        return Response({"version": plan.version, "data": to_data(plan)})


def _only(index: int, part: str) -> Callable[[str], str]:
    """``targets[3].value`` → ``value`` for the item at ``index``; other paths unchanged."""
    prefix = re.compile(rf"^{part}\[{index}\]\.?")

    def rename(path: str) -> str:
        return prefix.sub("", path) or "non_field_errors"

    return rename


class _ItemsView(_PlanView):
    """Targets (by code) or task headings (by number) of a plan, one at a time: each write
    reads the content, changes the one item and saves it back with the plan's version."""

    part = "targets"
    key = "code"
    missing: Any = NO_TARGET
    write_serializer: Any = TargetWriteSerializer

    def rows(self, plan: Plan) -> QuerySet[Any]:
        return plan.targets.prefetch_related("responsible").select_related("parent")

    def read(self, rows: Any, many: bool = False) -> Any:
        return TargetSerializer(rows, many=many).data

    def row(self, plan: Plan, code: str) -> Any:
        row = self.rows(plan).filter(**{self.key: code}).first()
        if row is None:
            raise NotFoundBilingual(self.missing, code=code[:20])
        return row

    def items(self, plan: Plan) -> list[dict[str, Any]]:
        return list(to_data(plan)[self.part])

    def index(self, items: list[dict[str, Any]], code: str) -> int:
        for i, item in enumerate(items):
            if item[self.key] == code:
                return i
        raise NotFoundBilingual(self.missing, code=code[:20])

    def add(self, request: Request, pk: int) -> Response:
        plan = self.plan(pk)
        data = _body(self.write_serializer, request)
        version = data.pop("version")
        items = self.items(plan)
        code = data[self.key].strip()
        if any(item[self.key] == code for item in items):
            raise BadParameter(self.key, CODE_TAKEN, code=code)
        items.append(data)
        _save(request, plan, {self.part: items}, version, rename=_only(len(items) - 1, self.part))
        return Response(self.read(self.row(plan, code)), status=201)

    def change(self, request: Request, pk: int, code: str) -> Response:
        plan = self.plan(pk)
        data = _body(self.write_serializer, request, partial=True)
        if "version" not in data:
            _body(VersionSerializer, request)
        version = data.pop("version")
        if self.key in data and data[self.key].strip() != code:
            raise BadParameter(self.key, CODE_FIXED)
        items = self.items(plan)
        i = self.index(items, code)
        items[i] = {**items[i], **data}
        _save(request, plan, {self.part: items}, version, rename=_only(i, self.part))
        return Response(self.read(self.row(plan, code)))

    def remove(self, request: Request, pk: int, code: str) -> Response:
        plan = self.plan(pk)
        version = _query_version(request)
        items = self.items(plan)
        del items[self.index(items, code)]
        _save(request, plan, {self.part: items}, version)
        return Response(status=status.HTTP_204_NO_CONTENT)


class _Headings:
    part = "tasks"
    key = "number"
    missing = NO_HEADING
    write_serializer = HeadingWriteSerializer

    def rows(self, plan: Plan) -> QuerySet[Any]:
        return plan.task_groups.select_related("lead").prefetch_related("agencies", "tasks")

    def read(self, rows: Any, many: bool = False) -> Any:
        return TaskGroupSerializer(rows, many=many).data


class TargetList(_ItemsView):
    """The plan's targets (withdrawn ones too: data still refers to them). POST adds one
    to a draft (standing office), with the plan's ``version``."""

    @extend_schema(responses=TargetSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        return Response(self.read(self.rows(self.plan(pk)), many=True))

    @extend_schema(request=TargetWriteSerializer, responses={201: TargetSerializer})
    def post(self, request: Request, pk: int) -> Response:
        return self.add(request, pk)


class TargetDetail(_ItemsView):
    """One target. PATCH changes it, DELETE takes it out of the draft (kept, withdrawn,
    when data refers to it); both with the plan's ``version``."""

    @extend_schema(responses=TargetSerializer)
    def get(self, request: Request, pk: int, code: str) -> Response:
        return Response(self.read(self.row(self.plan(pk), code)))

    @extend_schema(request=TargetWriteSerializer, responses=TargetSerializer)
    def patch(self, request: Request, pk: int, code: str) -> Response:
        return self.change(request, pk, code)

    @extend_schema(parameters=[VERSION_QUERY], request=None, responses={204: None})
    def delete(self, request: Request, pk: int, code: str) -> Response:
        return self.remove(request, pk, code)


class HeadingList(_Headings, _ItemsView):
    """The plan's task headings (Section IV: each agency's tasks, lead and deadline). POST
    adds one to a draft, with the plan's ``version``."""

    @extend_schema(responses=TaskGroupSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        return Response(self.read(self.rows(self.plan(pk)), many=True))

    @extend_schema(request=HeadingWriteSerializer, responses={201: TaskGroupSerializer})
    def post(self, request: Request, pk: int) -> Response:
        return self.add(request, pk)


class HeadingDetail(_Headings, _ItemsView):
    """One task heading with its tasks. PATCH changes it, DELETE takes it out of the draft
    (kept, withdrawn, when task reports refer to it); both with the plan's ``version``."""

    @extend_schema(responses=TaskGroupSerializer)
    def get(self, request: Request, pk: int, number: str) -> Response:
        return Response(self.read(self.row(self.plan(pk), number)))

    @extend_schema(request=HeadingWriteSerializer, responses=TaskGroupSerializer)
    def patch(self, request: Request, pk: int, number: str) -> Response:
        return self.change(request, pk, number)

    @extend_schema(parameters=[VERSION_QUERY], request=None, responses={204: None})
    def delete(self, request: Request, pk: int, number: str) -> Response:
        return self.remove(request, pk, number)


# --- review and issue ------------------------------------------------------------------------


class CommentList(_PlanView):
    """Comments of the agencies consulted on the draft; POST adds one (``plan.comment``)."""

    edit_capability = "plan.comment"

    @extend_schema(responses=PlanCommentSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        rows = self.plan(pk).comments.select_related("author", "agency")
        return Response(PlanCommentSerializer(rows, many=True).data)

    @extend_schema(request=CommentWriteSerializer, responses={201: PlanCommentSerializer})
    def post(self, request: Request, pk: int) -> Response:
        plan = self.plan(pk)
        data = _body(CommentWriteSerializer, request)
        with api_errors():
            note = actions.comment(
                plan, data["text"], actor=request.user, about=data.get("about", "")
            )
        return Response(PlanCommentSerializer(note).data, status=201)


class CommentResolve(_PlanView):
    """Mark a comment as taken into account (or not: ``resolved`` false); standing office."""

    @extend_schema(request=ResolveSerializer, responses=PlanCommentSerializer)
    def post(self, request: Request, pk: int, cid: int) -> Response:
        plan = self.plan(pk)
        note = get_or_404(plan.comments.select_related("author", "agency"), cid, NO_COMMENT)
        data = _body(ResolveSerializer, request)
        with api_errors():
            note = actions.resolve_comment(note, actor=request.user, resolved=data["resolved"])
        return Response(PlanCommentSerializer(note).data)


def _step(
    name: str, doc: str, action: Callable[..., Any], serializer: Any, capability: str
) -> type[_PlanView]:
    """A lifecycle step (submit, return, issue, close): POST with the plan's ``version`` and
    the step's fields; the answer is the plan."""

    class Step(_PlanView):
        edit_capability = capability

        @extend_schema(request=serializer, responses=PlanDetailSerializer, operation_id=name)
        def post(self, request: Request, pk: int) -> Response:
            plan = self.plan(pk)
            data = _body(serializer, request)
            with api_errors():
                action(plan, actor=request.user, **data)
            return Response(plan_detail(request.user, pk))

    Step.__name__ = Step.__qualname__ = f"Plan{name.title().replace('_', '')}"
    Step.__doc__ = doc
    return Step


PlanSubmit = _step(
    "plans_submit",
    "Send the draft for review and issue (standing office).",
    actions.submit,
    VersionSerializer,
    "plan.edit",
)
PlanReturn = _step(
    "plans_return",
    "Send a plan under review back to draft, with the ``reason``.",
    actions.return_to_draft,
    ReturnSerializer,
    "plan.view",  # the standing office or the People's Committee: the action decides
)
PlanIssue = _step(
    "plans_issue",
    "Issue the plan under review: number, date, signer (People's Committee).",
    actions.issue,
    IssueSerializer,
    "plan.issue",
)
PlanClose = _step(
    "plans_close",
    "Close an issued plan before its period ends (People's Committee).",
    actions.close,
    VersionSerializer,
    "plan.issue",
)


# --- versions --------------------------------------------------------------------------------


class VersionList(_PlanView):
    """The plan's versions, newest first: who saved it, when, in which status, what changed."""

    @extend_schema(responses=PlanVersionSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        rows = self.plan(pk).versions.select_related("actor")
        return Response(PlanVersionSerializer(rows, many=True).data)


class VersionDetail(_PlanView):
    """One version with the whole plan as it then stood (the structure shape)."""

    @extend_schema(
        parameters=[OpenApiParameter("number", int, OpenApiParameter.PATH)],
        responses=PlanVersionDetailSerializer,
    )
    def get(self, request: Request, pk: int, number: int) -> Response:
        row = self.plan(pk).versions.select_related("actor").filter(number=number).first()
        if row is None:
            raise NotFoundBilingual(NO_VERSION, id=number)
        return Response(PlanVersionDetailSerializer(row).data)
