"""The processing inventory: every identity field (and every encrypted field) is declared;
who may see it is derived from the roles; page and DOCX annex list each field."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.utils import translation
from docx import Document

from pcmd.accounts.roles import IDENTITY_MODULES, Role
from pcmd.people import inventory
from pcmd.people.models import IDENTITY_FIELDS, Person
from tests.conftest import assert_reach


def test_every_identity_field_is_declared() -> None:
    assert inventory.undeclared_identity_fields() == []


def test_every_encrypted_field_of_any_model_is_declared() -> None:
    assert inventory.undeclared_encrypted_fields() == []


def test_a_missing_declaration_is_found() -> None:
    saved = inventory.DECLARATIONS.pop(("people.person", "phone"))
    try:
        assert inventory.undeclared_identity_fields() == ["phone"]
        assert "people.person.phone" in inventory.undeclared_encrypted_fields()
    finally:
        inventory.declare(saved)


def test_viewers_follow_the_roles() -> None:
    decl = inventory.DECLARATIONS[("people.person", "full_name")]
    with translation.override("en"):
        viewers = {v.role: v.where for v in inventory.who_may_see(decl)}
        assert set(viewers) == {str(Role(r).label) for r in IDENTITY_MODULES} | {
            "any user under emergency access"
        }
        assert "administrative sanctions" in viewers[str(Role.POLICE.label)]
        assert "support" in viewers[str(Role.SOCIAL_WORKER.label)]
        assert str(Role.ADMINISTRATOR.label) not in viewers
        assert str(Role.PRIVACY_OFFICER.label) not in viewers
    # a field seen only in support is not shown to the police
    support_only = inventory.Declaration("x.y", "z", "z", "p", ("b",), modules=("support",))
    roles = {v.role for v in inventory.who_may_see(support_only)}
    assert str(Role.POLICE.label) not in roles and str(Role.SOCIAL_WORKER.label) in roles


def test_each_row_has_purpose_basis_and_retention() -> None:
    for row in inventory.rows():
        assert row.purpose and row.legal_basis and row.retention and row.viewers, row.label


def _labels() -> list[str]:
    return [str(Person._meta.get_field(n).verbose_name) for n in IDENTITY_FIELDS]


@pytest.mark.django_db
def test_inventory_page_lists_every_identity_field(client_for: Any) -> None:
    with translation.override("vi"):
        page = client_for("baovedl").get("/people/inventory/").content.decode()
        for name, label in zip(IDENTITY_FIELDS, _labels(), strict=True):
            assert f'id="field-people.person-{name}"' in page
            assert label[:1].upper() + label[1:] in page, label
        assert "91/2025/QH15" in page and "356/2025" in page


@pytest.mark.django_db
def test_inventory_reach(client_for: Any) -> None:
    assert_reach(client_for, "/people/inventory/", {"admin", "baovedl", "thuongtruc"})


@pytest.mark.django_db
def test_annex_docx_lists_every_identity_field(client_for: Any) -> None:
    response = client_for("admin").get("/people/inventory/annex.docx")
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "PHỤ LỤC" in text and "Danh mục xử lý dữ liệu cá nhân" in text
    with translation.override("vi"):
        for label in _labels():
            assert label in cells, label
    assert doc.sections[0].left_margin.mm == pytest.approx(30, abs=0.1)
