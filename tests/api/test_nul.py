"""A NUL character never reaches the database (PostgreSQL refuses it: a 500 before)."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def admin_api(client_for):
    return client_for("admin")


def test_a_nul_in_the_query_string_is_a_bilingual_400(admin_api) -> None:
    response = admin_api.get("/api/v1/establishments?q=a%00b")
    assert response.status_code == 400
    error = response.json()["error"]
    assert "NUL" in error["message"] and "NUL" in error["message_en"]


def test_a_nul_in_a_json_body_is_refused_before_any_lookup(admin_api) -> None:
    body = json.dumps({"name": "x", "kind": "karaoke\u0000", "commune": "24118"})
    response = admin_api.post("/api/v1/establishments", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["status"] == 400


def test_a_nul_in_a_page_filter_or_form_is_a_400_page(admin_api) -> None:
    assert admin_api.get("/registry/?q=%00").status_code == 400
    response = admin_api.post("/registry/new/", {"name": "a\x00b"})
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_file_contents_may_hold_nul_bytes(client_for) -> None:
    # Only form fields are checked, never uploaded file contents (binary files hold NUL).
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for("admin")
    upload = SimpleUploadedFile("x.xlsx", b"PK\x03\x04\x00\x00")
    response = client.post("/registry/import/", {"file": upload})
    assert response.status_code < 500
    assert "NUL" not in response.content.decode()  # the importer's own message, not ours
