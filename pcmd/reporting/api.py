"""REST endpoints of periodic reports under /api/v1/ (thin: parse, call an action, serialize).

Errors are the project's JSON errors (``pcmd.api.errors``): a rule that stops a submission
comes back as 400 naming the field in ``fields``; a stale ``version`` as 409; a missing right
as 403; a report outside the user's scope as 404.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pcmd.agencies.models import Agency
from pcmd.api import common
from pcmd.api.auth import AuthenticatedRequest
from pcmd.api.common import (
    NO_UNIT,
    capability,
    choice_param,
    choice_query,
    get_or_404,
    text_query,
    within_code,
)
from pcmd.api.errors import BadParameter, NotFoundBilingual
from pcmd.core.periods import PeriodError, parse_period
from pcmd.geo.models import Unit, valid_on_q

from . import actions, documents
from . import serializers as s
from .documents.pdf import PdfUnavailable
from .models import ReportForm, Submission, SubmissionStatus
from .obligations import ObligationError, period_of
from .stats import completeness


class Unavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE

    def __init__(self, texts: dict[str, str]) -> None:
        self.texts = texts
        super().__init__(texts["vi"])


class RuleErrors(exceptions.ValidationError):
    """A submission stopped by rules: 400 naming each field (or its explanation) a rule hit."""

    def __init__(self, exc: actions.RuleViolation) -> None:
        key = (
            (lambda h: f"explanation_{h.rule.code}")
            if exc.needs_explanation
            else (lambda h: h.field_code)
        )
        fields: dict[str, list[str]] = {}
        for hit in exc.hits:
            fields.setdefault(key(hit), []).append(hit.message)
        self.texts = exc.texts()
        super().__init__(fields)


@contextmanager
def api_errors() -> Iterator[None]:
    """The shared ``api_errors`` (400 naming the fields, 409, 403), with a rule violation
    naming the fields the rules hit."""
    with common.api_errors():
        try:
            yield
        except actions.RuleViolation as exc:
            raise RuleErrors(exc) from None


ViewReports = capability("reports.view")


def _form(value: str, user: Any) -> ReportForm:
    qs = ReportForm.objects.visible_to(user)
    by_id = value.isdecimal() and value.isascii() and len(value) <= 10
    form = qs.filter(pk=int(value)).first() if by_id else qs.filter(code=value).first()
    if form is None:
        raise BadParameter("form", _("No report form '%(value)s'."), value=value)
    return form


def _unit_on(code: str, form: ReportForm, period_code: str) -> Unit | None:
    """The unit with this code on the period's last day (codes are reused over time)."""
    units = Unit.objects.filter(code=code)
    try:
        on = period_of(form.current, period_code).end
    except ObligationError:
        return units.first()
    return units.filter(valid_on_q(on)).first() or units.first()


def _submissions(user: Any) -> QuerySet[Submission]:
    return Submission.objects.visible_to(user).select_related(
        "form", "form_version", "unit", "unit__parent", "agency", "agency__unit"
    )


class ReportFormList(generics.ListAPIView):
    """Report forms with their current version."""

    serializer_class = s.ReportFormSerializer
    permission_classes = [ViewReports]

    def get_queryset(self) -> QuerySet[ReportForm]:
        return ReportForm.objects.visible_to(self.request.user).prefetch_related("versions")


class ReportFormDetail(generics.RetrieveAPIView):
    """One form: its current version's sections, fields and rules, and its versions."""

    serializer_class = s.ReportFormDetailSerializer
    permission_classes = [ViewReports]

    def get_queryset(self) -> QuerySet[ReportForm]:
        return ReportForm.objects.visible_to(self.request.user).prefetch_related("versions")


_LIST_PARAMS = [
    text_query("form", "Form id or code"),
    text_query("period", "Period code, e.g. 2018-H1"),
    choice_query("status", SubmissionStatus.values),
    text_query("unit", "GSO code: reports of this unit and below"),
]


class SubmissionList(generics.ListCreateAPIView):
    """Reports the user may read (GET); open a draft (POST)."""

    permission_classes = [ViewReports]

    def get_serializer_class(self) -> type:
        return s.SubmissionSerializer

    def get_queryset(self) -> QuerySet[Submission]:
        qs = _submissions(self.request.user)
        params = self.request.query_params
        if params.get("form"):
            qs = qs.filter(form=_form(params["form"], self.request.user))
        if params.get("period"):
            qs = qs.filter(period_code=params["period"])
        if status := choice_param(self.request, "status", SubmissionStatus.values):
            qs = qs.filter(status=status)
        within = within_code(self.request, "unit", "unit")
        if within is not None:
            qs = qs.filter(within)
        return qs.order_by("-period_end", "form__order", "unit__code", "pk")

    @extend_schema(parameters=_LIST_PARAMS)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=s.CreateSubmissionSerializer, responses={201: s.SubmissionDetailSerializer}
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = s.CreateSubmissionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        form = _form(v["form"], request.user)
        unit = agency = None
        if v.get("agency"):
            agency = Agency.objects.filter(code=v["agency"]).select_related("unit").first()
            if agency is None:
                raise BadParameter("agency", _("No agency with code %(code)s."), code=v["agency"])
        elif v.get("unit"):
            unit = _unit_on(v["unit"], form, v["period"])
            if unit is None:
                raise BadParameter("unit", NO_UNIT, code=v["unit"])
        with api_errors():
            sub = actions.start_submission(
                form, v["period"], actor=request.user, unit=unit, agency=agency
            )
        return Response(
            s.SubmissionDetailSerializer(sub, context={"request": request}).data, status=201
        )


class SubmissionDetail(APIView):
    """One report (GET); save a draft (PATCH with the ``version`` it was based on)."""

    permission_classes = [ViewReports]

    def get_object(self, pk: int) -> Submission:
        return get_or_404(
            _submissions(self.request.user), pk, _("No report %(id)s that you may read.")
        )

    @extend_schema(responses=s.SubmissionDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(
            s.SubmissionDetailSerializer(self.get_object(pk), context={"request": request}).data
        )

    @extend_schema(
        request=s.UpdateSubmissionSerializer,
        responses={
            200: s.SubmissionDetailSerializer,
            409: OpenApiResponse(description="Edited by someone else"),
        },
    )
    def patch(self, request: Request, pk: int) -> Response:
        sub = self.get_object(pk)
        data = s.UpdateSubmissionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        with api_errors():
            actions.save_draft(sub, actor=request.user, expected_version=v.pop("version"), **v)
        sub.refresh_from_db()
        return Response(s.SubmissionDetailSerializer(sub, context={"request": request}).data)


class _Transition(SubmissionDetail):
    def act(self, sub: Submission, request: Request, version: int | None, comment: str) -> None:
        raise NotImplementedError

    @extend_schema(
        request=s.TransitionSerializer,
        responses={
            200: s.SubmissionDetailSerializer,
            409: OpenApiResponse(description="Edited by someone else"),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        sub = self.get_object(pk)
        data = s.TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with api_errors():
            self.act(
                sub,
                request,
                data.validated_data.get("version"),
                data.validated_data.get("comment", ""),
            )
        sub.refresh_from_db()
        return Response(s.SubmissionDetailSerializer(sub, context={"request": request}).data)


class SubmitSubmission(_Transition):
    """Send the report to the level above (400 naming the field a blocking rule stops)."""

    http_method_names = ["post", "options"]

    def act(self, sub: Submission, request: Request, version: int | None, comment: str) -> None:
        actions.submit_submission(sub, actor=request.user, expected_version=version)


class ApproveSubmission(_Transition):
    """Approve a submitted report (the level above); its figures are locked."""

    http_method_names = ["post", "options"]

    def act(self, sub: Submission, request: Request, version: int | None, comment: str) -> None:
        actions.approve_submission(
            sub, actor=request.user, expected_version=version, comment=comment
        )


class ReturnSubmission(_Transition):
    """Return a submitted report with a comment (required)."""

    http_method_names = ["post", "options"]

    def act(self, sub: Submission, request: Request, version: int | None, comment: str) -> None:
        actions.return_submission(
            sub, actor=request.user, comment=comment, expected_version=version
        )


class SubmissionDocument(SubmissionDetail):
    """The report as DOCX (Decree 30/2020 layout), XLSX or PDF."""

    http_method_names = ["get", "options"]

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            503: OpenApiResponse(description="PDF converter missing"),
        }
    )
    def get(self, request: Request, pk: int, fmt: str) -> HttpResponse:  # type: ignore[override]
        from .views.submissions import document_bytes

        sub = self.get_object(pk)
        if fmt not in ("docx", "xlsx", "pdf"):
            raise NotFoundBilingual(_("Documents are docx, xlsx or pdf."))
        try:
            content, content_type = document_bytes(sub, fmt, request.user)
        except PdfUnavailable as exc:
            raise Unavailable(exc.texts) from None
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{documents.file_name(sub, fmt)}"'
        return response


class Completeness(APIView):
    """Reports owed, submitted, approved and on time in a period (default: this year)."""

    permission_classes = [ViewReports]

    @extend_schema(
        parameters=[
            text_query("period", "2018, 2018-H1, 2018-Q2, 2018-03 (years 2000–2100)"),
            text_query("form", "Form id or code"),
            text_query("unit", "GSO code: count reporters in this subtree"),
        ],
        responses=s.CompletenessSerializer,
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        params = request.query_params
        raw = params.get("period") or str(timezone.localdate().year)
        try:
            period = parse_period(raw)
        except (PeriodError, ValueError):  # ValueError: a date no calendar has
            period = None
        if period is None or period.start < common.DATE_MIN or period.end > common.DATE_MAX:
            raise BadParameter(
                "period",
                _("'%(value)s' is not a period (2018, 2018-H1, 2018-Q2, 2018-03)."),
                value=raw,
            )
        form = _form(params["form"], request.user) if params.get("form") else None
        within: Any = request.user
        if params.get("unit"):
            unit = Unit.objects.filter(code=params["unit"]).filter(valid_on_q(period.end)).first()
            if unit is None:
                raise BadParameter("unit", NO_UNIT, code=params["unit"])
            if not request.user.sees_unit(unit):
                raise NotFoundBilingual(_("No unit %(code)s in your scope."), code=params["unit"])
            within = unit
        result = completeness(within, period, form=form)
        return Response(result.as_dict())
