from __future__ import annotations

import datetime
from typing import Any

from rest_framework import serializers

from pcmd.agencies.models import Agency, AgencyRole
from pcmd.geo.models import Unit


class UnitSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    type = serializers.CharField(source="unit_type")
    type_label = serializers.CharField(source="get_unit_type_display")
    parent_code = serializers.CharField(source="parent.code", default=None, allow_null=True)

    class Meta:
        model = Unit
        fields = [
            "code",
            "name",
            "type",
            "type_label",
            "level",
            "parent_code",
            "valid_from",
            "valid_to",
            "lat",
            "lon",
        ]

    def get_name(self, unit: Unit) -> str:
        on: datetime.date | None = self.context.get("on")
        return unit.name_on(on) if on else unit.name


class UnitDetailSerializer(UnitSerializer):
    former_names = serializers.SerializerMethodField()
    successors = serializers.SerializerMethodField()
    predecessors = serializers.SerializerMethodField()
    children_count = serializers.SerializerMethodField()

    class Meta(UnitSerializer.Meta):
        fields = [
            *UnitSerializer.Meta.fields,
            "former_names",
            "predecessors",
            "successors",
            "children_count",
        ]

    def get_former_names(self, unit: Unit) -> list[dict[str, Any]]:
        return [
            {
                "name": n.name,
                "valid_from": n.valid_from,
                "valid_to": n.valid_to,
                "legal_basis": n.legal_basis,
            }
            for n in unit.names.all()
        ]

    def _links(self, links: Any, attr: str) -> list[dict[str, Any]]:
        out = []
        for link in links:
            other = getattr(link, attr)
            out.append(
                {
                    "code": other.code,
                    "name": other.name,
                    "effective": link.effective,
                    "kind": link.kind,
                    "is_main": link.is_main,
                    "valid_from": other.valid_from,
                    "valid_to": other.valid_to,
                }
            )
        return out

    def get_successors(self, unit: Unit) -> list[dict[str, Any]]:
        return self._links(unit.successor_links.select_related("successor"), "successor")

    def get_predecessors(self, unit: Unit) -> list[dict[str, Any]]:
        return self._links(unit.predecessor_links.select_related("predecessor"), "predecessor")

    def get_children_count(self, unit: Unit) -> int:
        on: datetime.date | None = self.context.get("on")
        qs = unit.children.all()
        return qs.valid_on(on).count() if on else qs.count()


class AgencyRoleSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgencyRole
        fields = ["role", "valid_from", "valid_to", "legal_basis"]


class AgencySerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code")
    parent_code = serializers.CharField(source="parent.code", default=None, allow_null=True)
    roles = AgencyRoleSerializer(many=True)

    class Meta:
        model = Agency
        fields = [
            "code",
            "name",
            "short_name",
            "kind",
            "level",
            "unit_code",
            "parent_code",
            "valid_from",
            "valid_to",
            "roles",
        ]


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})
    otp = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text=(
            "Two-factor code: the 6 digits the authenticator app shows now, or one recovery "
            "code. Required for users with two-factor sign-in (roles that see identities or "
            "the trail of them, administrators, and anyone who turned it on); wrong codes "
            "count toward the sign-in lockout."
        ),
    )


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    expiry = serializers.DateTimeField()


class RevokedSerializer(serializers.Serializer):
    revoked = serializers.IntegerField(help_text="How many tokens were ended")


class AssignmentSerializer(serializers.Serializer):
    role = serializers.CharField()
    # empty for a national assignment (the whole country)
    unit_code = serializers.CharField(source="unit.code", default=None, allow_null=True)
    unit_name = serializers.CharField(source="unit.name", default=None, allow_null=True)
    agency_code = serializers.CharField(source="agency.code", default=None, allow_null=True)
    valid_from = serializers.DateField(allow_null=True)
    valid_to = serializers.DateField(allow_null=True)


class UserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField()
    is_active = serializers.BooleanField()
    assignments = AssignmentSerializer(many=True)


class AuditEventSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    actor = serializers.CharField(source="actor_name")
    verb = serializers.CharField()
    object_type = serializers.CharField()
    object_id = serializers.CharField()
    object_repr = serializers.CharField()
    changes = serializers.JSONField()
