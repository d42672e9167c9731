"""REST endpoints under /api/v1/. Thin: parse, scoped query, serialize."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import authenticate
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from knox.models import AuthToken
from rest_framework import generics, permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pcmd.accounts import actions as account_actions
from pcmd.accounts.models import Assignment, User
from pcmd.agencies.models import Agency
from pcmd.core.models import AuditEvent
from pcmd.geo.models import Unit, UnitLevel, UnitName

from . import serializers as s
from .common import (
    api_errors,
    choice_param,
    choice_query,
    date_param,
    date_query,
    get_or_404,
    text_query,
)
from .errors import BadParameter, NotFoundBilingual
from .two_factor import second_factor_refusal

_NO_USER = _("No user with id %(id)s.")
_LEVELS = {"province": 1, "district": 2, "commune": 3, "1": 1, "2": 2, "3": 3}


def _on(request: Request) -> datetime.date:
    return date_param(request, "on") or timezone.localdate()


def _unit_on(code: str, on: datetime.date, param: str) -> Unit:
    unit = Unit.objects.valid_on(on).filter(code=code).first()
    if unit is None:
        raise BadParameter(
            param,
            _("No unit with code %(code)s existed on %(date)s."),
            code=code,
            date=on.strftime("%d/%m/%Y"),
        )
    return unit


class TokenView(APIView):
    """Exchange a username and password for a Bearer token."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(request=s.TokenRequestSerializer, responses=s.TokenResponseSerializer, auth=[])
    def post(self, request: Request) -> Response:
        data = s.TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if user is None or not user.is_active:
            return Response(
                {
                    "error": {
                        "status": 400,
                        "fields": {},
                        "message": "Tên đăng nhập hoặc mật khẩu không đúng.",
                        "message_en": "The username or password is not correct.",
                    }
                },
                status=400,
            )
        refused = second_factor_refusal(request, user, data.validated_data.get("otp", ""))
        if refused is not None:
            return refused
        instance, token = account_actions.issue_token(user)
        return Response({"token": token, "expiry": instance.expiry})


class LogoutView(APIView):
    """End the Bearer token this request was sent with (signing out of the API)."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        if not isinstance(request.auth, AuthToken):
            raise BadParameter(
                "Authorization", _("Sign out with the Bearer token you want to end.")
            )
        with api_errors():
            account_actions.revoke_token(request.auth, actor=request.user)
        return Response(status=204)


_LEVEL_PARAM = choice_query("level", list(_LEVELS), "province | district | commune (or 1, 2, 3)")
_UNIT_PARAMS = [
    date_query("on", "Map date (default today)"),
    text_query("province", "GSO code of the province"),
    _LEVEL_PARAM,
    text_query("parent", "GSO code of the parent unit"),
]


class UnitList(generics.ListAPIView):
    serializer_class = s.UnitSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "on": _on(self.request)}

    def get_queryset(self) -> QuerySet[Unit]:
        on = _on(self.request)
        params = self.request.query_params
        qs = (
            Unit.objects.visible_to(self.request.user)
            .valid_on(on)
            .select_related("parent")
            .prefetch_related(Prefetch("names", queryset=UnitName.objects.all()))
        )
        if params.get("province"):
            province = _unit_on(params["province"], on, "province")
            if province.level != UnitLevel.PROVINCE:
                raise BadParameter(
                    "province", _("%(code)s is not a province."), code=params["province"]
                )
            qs = qs.within(province)
        if level := choice_param(self.request, "level", _LEVELS):
            qs = qs.filter(level=_LEVELS[level])
        if params.get("parent"):
            qs = qs.filter(parent=_unit_on(params["parent"], on, "parent"))
        return qs.order_by("level", "code")

    @extend_schema(parameters=_UNIT_PARAMS)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class UnitDetail(generics.RetrieveAPIView):
    serializer_class = s.UnitDetailSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "on": _on(self.request)}

    def get_object(self) -> Unit:
        on = _on(self.request)
        code = self.kwargs["code"]
        unit = (
            Unit.objects.visible_to(self.request.user)
            .valid_on(on)
            .filter(code=code)
            .select_related("parent")
            .prefetch_related("names")
            .first()
        )
        if unit is None:
            raise NotFoundBilingual(
                _("No unit with code %(code)s existed on %(date)s."),
                code=code,
                date=on.strftime("%d/%m/%Y"),
            )
        return unit

    @extend_schema(parameters=[_UNIT_PARAMS[0]])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class AgencyList(generics.ListAPIView):
    serializer_class = s.AgencySerializer

    def get_queryset(self) -> QuerySet[Agency]:
        qs = (
            Agency.objects.visible_to(self.request.user)
            .select_related("unit", "parent")
            .prefetch_related("roles")
        )
        if level := choice_param(self.request, "level", _LEVELS):
            qs = qs.filter(level=_LEVELS[level])
        return qs

    @extend_schema(parameters=[_LEVEL_PARAM])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class CapabilityPermission(permissions.BasePermission):
    capability = ""

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(
            request.user and request.user.is_authenticated and request.user.can(self.capability)
        )


class ManageUsers(CapabilityPermission):
    capability = "users.manage"


class ViewAudit(CapabilityPermission):
    capability = "audit.view"


class Me(APIView):
    """The signed-in user, with roles and scope."""

    @extend_schema(responses=s.UserSerializer)
    def get(self, request: Request) -> Response:
        user = (
            User.objects.visible_to(request.user)
            .prefetch_related("assignments__unit", "assignments__agency")
            .get(pk=request.user.pk)
        )
        return Response(s.UserSerializer(user).data)


class UserList(generics.ListAPIView):
    """Users with their assignments (administrators)."""

    serializer_class = s.UserSerializer
    permission_classes = [ManageUsers]

    def get_queryset(self) -> QuerySet[User]:
        return User.objects.visible_to(self.request.user).prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.select_related("unit", "agency"))
        )


class RevokeTokens(APIView):
    """End every API token of a user (administrators): the user must sign in again."""

    permission_classes = [ManageUsers]

    @extend_schema(request=None, responses=s.RevokedSerializer)
    def post(self, request: Request, pk: int) -> Response:
        user = get_or_404(User.objects.visible_to(request.user), pk, _NO_USER)
        with api_errors():
            count = account_actions.revoke_tokens(user, actor=request.user)
        return Response({"revoked": count})


class AuditList(generics.ListAPIView):
    """The audit log, newest first (administrators)."""

    serializer_class = s.AuditEventSerializer
    permission_classes = [ViewAudit]

    def get_queryset(self) -> QuerySet[AuditEvent]:
        return AuditEvent.objects.visible_to(self.request.user)
