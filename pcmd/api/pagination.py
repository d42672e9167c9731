"""Limit/offset pagination with bounds: ``limit`` 1–500 and ``offset`` 0–10⁹, both whole
numbers; anything else is a 400 naming the parameter (DRF's own class accepts any size and
ignores values it cannot read)."""

from __future__ import annotations

from typing import Any

from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request

from pcmd.api.common import parse_int

MAX_LIMIT = 500
MAX_OFFSET = 10**9


class BoundedPagination(LimitOffsetPagination):
    default_limit = 200
    max_limit = MAX_LIMIT

    def get_limit(self, request: Request) -> int:
        raw = request.query_params.get(self.limit_query_param)
        if raw is None:
            return self.default_limit
        return parse_int(raw, self.limit_query_param, minimum=1, maximum=MAX_LIMIT)

    def get_offset(self, request: Request) -> int:
        raw = request.query_params.get(self.offset_query_param)
        if raw is None:
            return 0
        return parse_int(raw, self.offset_query_param, minimum=0, maximum=MAX_OFFSET)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        bounds = {
            self.limit_query_param: (1, MAX_LIMIT),
            self.offset_query_param: (0, MAX_OFFSET),
        }
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            low, high = bounds[parameter["name"]]
            parameter["schema"] = {"type": "integer", "minimum": low, "maximum": high}
        return parameters
