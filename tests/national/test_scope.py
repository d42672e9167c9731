"""The ministry's national scope: an assignment without a unit, for the national role only,
that adds no unit to any provincial scope."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction

from pcmd.accounts import actions
from pcmd.accounts.models import Assignment, User
from pcmd.accounts.permissions import holds, scope_paths, units_in_scope
from pcmd.accounts.roles import CAPABILITIES, Capability, Role
from pcmd.geo.models import Unit

pytestmark = pytest.mark.django_db


def test_the_ministry_holds_national_view_and_nothing_else() -> None:
    assert CAPABILITIES[Role.MINISTRY] == frozenset({Capability.VIEW_NATIONAL})
    assert list(Capability)[-1] == Capability.VIEW_NATIONAL  # added at the end


def test_boyte_has_no_unit_scope(persona: Any) -> None:
    boyte = persona("boyte")
    assert [a.unit for a in boyte.assignments.all()] == [None]
    assert boyte.can("national.view")
    assert not boyte.can("reports.view") and not boyte.can("dashboard.view")
    # an empty scope, not "everything" (None) and not a crash on the missing unit
    assert scope_paths(boyte) == []
    assert not units_in_scope(boyte).exists()
    assert not holds(boyte, "national.view", Unit.objects.first())
    assert boyte.roles == {Role.MINISTRY}


def test_only_a_national_role_may_lack_a_unit(persona: Any) -> None:
    user = persona("lanhdao")
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(user=user, role=Role.LEADERSHIP, unit=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(user=user, role=Role.MINISTRY, unit=Unit.objects.first())
    with pytest.raises(ValueError):
        actions.add_assignment(user, actor=None, role=Role.LEADERSHIP, unit=None)


def test_the_administrator_grants_the_ministry_role_without_a_unit(client_for: Any) -> None:
    user = User.objects.create_user("bo.moi", password="x-Long-password-1")
    client = client_for("admin")
    url = f"/users/{user.pk}/roles/"
    bad = client.post(url, {"a-role": Role.MINISTRY, "a-unit_code": "66"})
    assert bad.status_code == 400 and not user.assignments.exists()
    missing = client.post(url, {"a-role": Role.LEADERSHIP, "a-unit_code": ""})
    assert missing.status_code == 400 and not user.assignments.exists()
    good = client.post(url, {"a-role": Role.MINISTRY, "a-unit_code": ""})
    assert good.status_code == 302
    assert [(a.role, a.unit_id) for a in user.assignments.all()] == [(Role.MINISTRY, None)]
    page = client.get(f"/users/{user.pk}/")
    assert (
        "Ministry of Health officer" in page.content.decode() or "Bộ Y tế" in page.content.decode()
    )


def test_home_and_api_me_name_the_whole_country(client_for: Any) -> None:
    client = client_for("boyte")
    home = client.get("/")
    assert home.status_code == 200
    me = client.get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["assignments"][0]["unit_code"] is None
