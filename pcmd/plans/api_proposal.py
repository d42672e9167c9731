"""REST endpoints of the document proposal: upload a plan (DOCX or text) → a proposal; read
it; accept it (possibly fixed) → a new draft plan. Only holders of ``plan.edit``; a proposal
is visible to its owner only."""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pcmd.api.auth import AuthenticatedRequest
from pcmd.api.common import api_errors, capability
from pcmd.api.errors import BadParameter
from pcmd.geo.models import Unit, UnitLevel

from . import actions_proposal
from .models import PlanType
from .models_proposal import PlanProposal
from .proposal import to_content
from .proposal_read import MAX_TEXT, MAX_UPLOAD

CanEdit = capability("plan.edit")


class ProposalSerializer(serializers.ModelSerializer):
    province = serializers.SerializerMethodField()
    plan = serializers.IntegerField(source="plan_id", allow_null=True, read_only=True)
    proposal = serializers.JSONField(
        help_text="Header fields, legal bases, objectives, targets, solution areas, funding, "
        "tasks per heading with agencies, recipients, closing: each item as {value, source, "
        "confidence, reason}; and the paragraphs not used (unmatched)."
    )

    class Meta:
        model = PlanProposal
        fields = ["id", "created", "source", "filename", "province", "plan", "proposal"]

    def get_province(self, obj: PlanProposal) -> str | None:
        return obj.unit.code if obj.unit else None


class TextBody(serializers.Serializer):
    text = serializers.CharField(max_length=MAX_TEXT, help_text="The plan's text, pasted")
    province = serializers.CharField(
        required=False, max_length=10, help_text="GSO code of the province; default: read"
    )


class FileBody(serializers.Serializer):
    file = serializers.FileField(help_text="The plan as a .docx, at most 5 MB")
    province = serializers.CharField(required=False, max_length=10)


class HeaderBody(serializers.Serializer):
    title = serializers.CharField(required=False, max_length=300)
    period_start = serializers.DateField(required=False)
    period_end = serializers.DateField(required=False)
    plan_type = serializers.ChoiceField(
        choices=[PlanType.YEARLY, PlanType.PROGRAMME], required=False
    )
    place = serializers.CharField(required=False, max_length=80)
    signer_authority = serializers.CharField(required=False, max_length=80, allow_blank=True)
    signer_title = serializers.CharField(required=False, max_length=80, allow_blank=True)


class AcceptBody(serializers.Serializer):
    header = HeaderBody(required=False)
    content = serializers.DictField(
        required=False,
        help_text="The plan's content in the shape of GET /plans/{id} content (targets, "
        "solution_areas, tasks …); default: the proposal as read",
    )
    province = serializers.CharField(required=False, max_length=10)


class AcceptedSerializer(serializers.Serializer):
    plan = serializers.IntegerField(help_text="The new draft plan's id")


def _province(code: str | None) -> Unit | None:
    if not code:
        return None
    # the latest province with that code (a unit without a start date is the oldest)
    unit = (
        Unit.objects.filter(level=UnitLevel.PROVINCE, code=code)
        .order_by(F("valid_from").desc(nulls_last=True), "-pk")
        .first()
    )
    if unit is None:
        raise BadParameter("province", _("No province with code %(code)s."), code=code[:10])
    return unit


def _visible(user: Any) -> QuerySet[PlanProposal]:
    return PlanProposal.objects.visible_to(user).select_related("unit")


class ProposalCreate(APIView):
    """Upload a plan (multipart ``file``, a .docx) or paste its text (JSON ``text``): the
    proposal read from it, 201."""

    permission_classes = [CanEdit]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        request={"application/json": TextBody, "multipart/form-data": FileBody},
        responses={201: ProposalSerializer},
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        upload = request.FILES.get("file") if hasattr(request, "FILES") else None
        if upload is not None:
            body: serializers.Serializer = FileBody(data=request.data)
            body.is_valid(raise_exception=True)
            if upload.size is None or upload.size > MAX_UPLOAD:
                raise BadParameter("file", _("The file is larger than 5 MB."))
            data: bytes | None = upload.read(MAX_UPLOAD + 1)
            text = None
        else:
            body = TextBody(data=request.data)
            body.is_valid(raise_exception=True)
            data, text = None, body.validated_data["text"]
        province = _province(body.validated_data.get("province"))
        with api_errors():
            row = actions_proposal.create_proposal(
                actor=request.user,
                data=data,
                text=text,
                filename=getattr(upload, "name", "") or "",
                province=province,
            )
        return Response(ProposalSerializer(row).data, status=201)


class ProposalDetail(generics.RetrieveAPIView):
    """One of your proposals."""

    serializer_class = ProposalSerializer
    permission_classes = [CanEdit]

    def get_queryset(self) -> QuerySet[PlanProposal]:
        return _visible(self.request.user)


class ProposalAccept(APIView):
    """Accept a proposal, with the header and content you fixed: the new draft plan, 201.
    A content error names the item (e.g. ``targets[2].value``) in ``fields``."""

    permission_classes = [CanEdit]

    @extend_schema(request=AcceptBody, responses={201: AcceptedSerializer})
    def post(self, request: Request, pk: int) -> Response:
        row = generics.get_object_or_404(_visible(request.user), pk=pk)
        body = AcceptBody(data=request.data)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        header = actions_proposal.draft_header(row.proposal, values.get("header"))
        content = values.get("content") or to_content(row.proposal)
        province = _province(values.get("province"))
        with api_errors():  # a StructureError is a ValidationError naming each item
            plan = actions_proposal.accept_proposal(
                row, actor=request.user, header=header, content=content, province=province
            )
        return Response({"plan": plan.pk}, status=201)
