"""What drf-spectacular cannot see by itself: every operation answers errors in the JSON
error shape (``pcmd.api.errors``), documented here once for all of them."""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "message", "message_en", "fields"],
            "properties": {
                "status": {"type": "integer"},
                "message": {"type": "string", "description": "Vietnamese"},
                "message_en": {"type": "string", "description": "English"},
                "fields": {
                    "type": "object",
                    "description": "Messages by field or parameter name",
                    "additionalProperties": True,
                },
            },
        }
    },
}
_ALWAYS = {
    "400": "The request or a parameter is not valid",
    "401": "Sign in first: send a valid Bearer token",
    "403": "Your role does not allow this",
    "404": "Not found, or outside your scope",
    "429": "Too many requests or failed sign-ins",
}
_WRITES = {"409": "Someone saved the record after the version you sent"}


def add_error_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """A drf-spectacular post-processing hook: the JSON error on every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for methods in result.get("paths", {}).values():
        for method, operation in methods.items():
            codes = dict(_ALWAYS)
            if method in ("post", "put", "patch", "delete"):
                codes.update(_WRITES)
            responses = operation.setdefault("responses", {})
            for code, description in codes.items():
                responses.setdefault(code, {"description": description, "content": ref})
    return result
