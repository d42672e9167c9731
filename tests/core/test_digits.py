"""Numbers from the request are recognised with ``str.isdecimal`` (what ``int()`` accepts):
``"²".isdigit()`` is true but ``int("²")`` fails, which was a 500 (review of issue 14)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PCMD = Path(__file__).resolve().parents[2] / "pcmd"


def test_no_module_tests_digits_with_isdigit() -> None:
    offenders = []
    for path in PCMD.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "isdigit":
                offenders.append(f"{path.relative_to(PCMD)}:{node.lineno}")
    assert offenders == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/plans/tracking/?unit=²",
        "/plans/tracking/?target=²",
        "/taskreports/?plan=²",
        "/budget/?year=²",
        "/communes/?year=²",
        "/reporting/inbox/?year=²",
        "/enforcement/new/?inspection=²",
        "/inspections/new/?establishment=²",
    ],
)
def test_superscript_digits_are_not_a_500(client_for, url) -> None:
    assert client_for("thuongtruc").get(url).status_code < 500
