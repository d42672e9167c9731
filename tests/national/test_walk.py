"""The ministry reads approved figures and nothing else: every page and endpoint of the app,
walked as ``boyte``, refuses it (403/404/405, or a redirect) except the national pages and
the pages every signed-in user has (home, own account, sign-in and sign-out, the API's own
description). A new page that forgets its capability check shows up here."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from pcmd.reporting.models import Submission

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("national")]

# What boyte may open: the national view, and what any signed-in user opens about themself.
ALLOWED = re.compile(
    r"^/(national/.*|api/v1/national/.*|"
    r"|account/.*|password/.*|login/|two-factor/.*|"
    r"api/v1/me|api/v1/openapi.*|api/v1/docs.*|healthz|i18n/.*|"
    # reference data every signed-in user reads: units, indicator definitions, and the
    # agencies of one's own provinces (none for the ministry: asserted below)
    r"api/v1/units(/.*)?|api/v1/indicators|api/v1/agencies)$"
)
# Values for the path converters: real keys where they matter (the national fixture's reports)
STRINGS = {"code": "66", "period": "2018", "fmt": "docx", "year": "2018", "number": "1"}


def _routes() -> list[tuple[str, list[tuple[str, str]]]]:
    found: list[tuple[str, list[tuple[str, str]]]] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            route = str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + route)
            elif isinstance(p, URLPattern):
                if route.startswith("^") or "(?P" in route:
                    continue  # the catch-all JSON 404 under /api/
                found.append(("/" + prefix + route, re.findall(r"<(\w+):(\w+)>", route)))

    walk(get_resolver().url_patterns, "")
    return found


def _paths(ids: list[int]) -> list[str]:
    out = []
    for route, params in _routes():
        if not params:
            out.append(route)
            continue
        for pk in ids:
            path = route
            for kind, name in params:
                value = str(pk) if kind == "int" else STRINGS.get(name, "x")
                if kind == "int" and name == "year":
                    value = "2018"
                path = path.replace(f"<{kind}:{name}>", value)
            out.append(path)
    return sorted(set(out))


def test_boyte_reaches_only_the_national_and_personal_pages(client_for: Any) -> None:
    client = client_for("boyte")
    client.raise_request_exception = False
    ids = sorted({1, Submission.objects.order_by("pk").values_list("pk", flat=True).first() or 1})
    reached, failed = [], []
    for path in _paths(ids):
        if path.startswith(("/logout", "/i18n/")):
            continue
        status = client.get(path).status_code
        if status >= 500:
            failed.append((path, status))
        elif status == 200 and not ALLOWED.match(path):
            reached.append(path)
    assert failed == []
    assert reached == [], reached


def test_reference_data_holds_no_province_s_figures(client_for: Any) -> None:
    client = client_for("boyte")
    assert client.get("/api/v1/agencies").json()["results"] == []
    definitions = client.get("/api/v1/indicators").json()
    assert definitions and all("value" not in d and "values" not in d for d in definitions)


def test_the_walk_covers_registers_reports_people_and_the_api() -> None:
    paths = _paths([1])
    for needed in (
        "/registry/",
        "/reporting/",
        "/dashboard/",
        "/people/",
        "/cases/",
        "/plans/",
        "/api/v1/submissions",
        "/national/",
    ):
        assert any(p.startswith(needed) for p in paths), needed
