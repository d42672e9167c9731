"""What drf-spectacular cannot see by itself, written once for every operation: errors come
in the JSON error shape (``pcmd.api.errors``), and every PATCH body carries the ``version``
the client read (optimistic locking: the views refuse a PATCH without it)."""

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
_WRITES = {
    "409": "Someone saved the record after the version you sent",
    "415": "The body is not in a media type the operation reads",
}


VERSION = {
    "type": "integer",
    "minimum": 0,
    "description": "The version you read; 409 if someone saved the record since",
}


def complete_schema(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """A drf-spectacular post-processing hook: the JSON error on every operation and the
    required ``version`` in every PATCH body."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for methods in result.get("paths", {}).values():
        if "patch" in methods:
            _require_version(methods["patch"], schemas)
        for method, operation in methods.items():
            codes = dict(_ALWAYS)
            if method in ("post", "put", "patch", "delete"):
                codes.update(_WRITES)
            responses = operation.setdefault("responses", {})
            for code, description in codes.items():
                responses.setdefault(code, {"description": description, "content": ref})
    return result


def _require_version(operation: dict[str, Any], schemas: dict[str, Any]) -> None:
    body = operation.get("requestBody")
    if body is None:
        operation["requestBody"] = body = {"content": {"application/json": {"schema": {}}}}
    body["required"] = True
    for media in body.get("content", {}).values():
        schema = media.setdefault("schema", {})
        if "$ref" in schema:
            schema = schemas[schema["$ref"].rsplit("/", 1)[-1]]
        schema.setdefault("type", "object")
        schema.setdefault("properties", {})["version"] = VERSION
        required = schema.setdefault("required", [])
        if "version" not in required:
            required.append("version")
