"""Messages of Django and DRF that reach our users are in Vietnamese: every default error
message and detail of the fields, validators, serializers, exceptions and paginators is
translated (pcmd/core/library_texts.py carries the ones the libraries' catalogs lack)."""

from __future__ import annotations

import inspect
from types import ModuleType
from typing import Any

import pytest
from django.contrib.auth import password_validation
from django.core import paginator, validators
from django.db.models import fields as model_fields
from django.forms import fields as form_fields
from django.forms import formsets
from django.forms import models as form_models
from django.utils import translation
from django.utils.translation import gettext
from rest_framework import exceptions, fields, pagination, relations, serializers
from rest_framework import validators as drf_validators

from pcmd.core import library_texts

MODULES: list[ModuleType] = [
    fields,
    serializers,
    relations,
    drf_validators,
    pagination,
    exceptions,
    validators,
    paginator,
    form_fields,
    form_models,
    formsets,
    model_fields,
    password_validation,
]


def _message_id(value: Any) -> str | None:
    """The English id of a lazy translated message (None for anything else)."""
    args = getattr(value, "_args", None)
    return args[0] if args and isinstance(args[0], str) and args[0] else None


def library_messages() -> set[str]:
    found: set[str] = set()
    for module in MODULES:
        for obj in vars(module).values():
            if not inspect.isclass(obj):
                continue
            for klass in obj.__mro__:
                messages = vars(klass).get("default_error_messages")
                if isinstance(messages, dict):
                    found.update(filter(None, map(_message_id, messages.values())))
                for attr in ("default_detail", "message", "invalid_page_message"):
                    message_id = _message_id(vars(klass).get(attr))
                    if message_id:
                        found.add(message_id)
    return found


def test_the_walk_finds_the_libraries_messages() -> None:
    found = library_messages()
    assert len(found) > 100
    assert {"A valid integer is required.", "Enter a valid JSON."} <= found


def test_every_library_message_reads_in_vietnamese() -> None:
    with translation.override("vi"):
        english = sorted(m for m in library_messages() if gettext(m) == m)
    assert english == [], "add these to pcmd/core/library_texts.py and translate them"


def test_the_list_holds_no_message_the_libraries_no_longer_have() -> None:
    listed = set(library_texts.DJANGO_REST_FRAMEWORK) | set(library_texts.DJANGO)
    assert listed - library_messages() == set()


@pytest.mark.django_db
def test_an_api_field_error_from_drf_is_in_vietnamese(persona) -> None:
    from rest_framework.test import APIClient

    from pcmd.plans.models import Plan

    client = APIClient()
    client.force_authenticate(persona("thuongtruc"))
    plan = Plan.objects.get(number="1842/KH-UBND")
    draft = client.post(
        f"/api/v1/plans/{plan.pk}/copy",
        {"period_start": "2024-01-01", "period_end": "2024-12-31"},
        format="json",
    ).json()
    response = client.patch(
        f"/api/v1/plans/{draft['id']}", {"version": draft["version"], "parent": "abc"}, "json"
    )
    assert response.status_code == 400, response.content
    fields = response.json()["error"]["fields"]
    assert fields, response.content
    text = " ".join(str(m) for messages in fields.values() for m in messages)
    with translation.override("en"):
        assert gettext("A valid integer is required.") not in text
    assert "Cần nhập một số nguyên hợp lệ." in text, text
