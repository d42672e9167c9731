"""The scope rule and the permission check are written once, in ``pcmd.accounts``.

A second copy drifts (six copies once treated ``actor=None`` three different ways), so this
walks the source: no other module builds the unit-subtree filter or defines its own
``require``; every action module imports the one check.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.apps import apps

from pcmd.accounts import permissions
from pcmd.accounts.policy import RULES, may_change

ROOT = Path(__file__).resolve().parents[2] / "pcmd"
HOME = {ROOT / "accounts" / "permissions.py", ROOT / "accounts" / "policy.py"}

# The scope rule is built from a user's assignments (``scope_units``, ``active_assignments``)
# and unit paths. A module that reads both within a few lines writes its own copy. (Filters
# on a unit the user chose, e.g. "this district", are not the scope rule.)
SCOPE_SOURCE = re.compile(r"\.(scope_units|active_assignments)\b")
PATH_TEST = re.compile(r"path__startswith|path__in|\.path\.startswith|\.path\b")
OWN_CHECK = re.compile(r"^def _{0,2}(require(_unit|_admin)?|may_edit|_may_edit)\(", re.M)


def _scope_rule_copies(text: str) -> list[str]:
    lines = text.splitlines()
    found = []
    for i, line in enumerate(lines):
        if SCOPE_SOURCE.search(line):
            window = lines[max(0, i - 3) : i + 4]
            if any(PATH_TEST.search(w) for w in window):
                found.append(f"{i + 1}: {line.strip()}")
    return found


def _sources() -> list[Path]:
    return [p for p in ROOT.rglob("*.py") if "migrations" not in p.parts and p not in HOME]


def test_no_module_writes_its_own_scope_rule() -> None:
    offenders = [
        f"{p.relative_to(ROOT)}:{hit}"
        for p in _sources()
        for hit in _scope_rule_copies(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_no_module_defines_its_own_permission_check() -> None:
    offenders = [
        f"{p.relative_to(ROOT)}: {m.group(0)}"
        for p in _sources()
        for m in OWN_CHECK.finditer(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.parametrize("path", sorted(ROOT.glob("*/actions.py")), ids=lambda p: p.parent.name)
def test_every_action_module_uses_the_one_check(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert re.search(r"from (pcmd\.accounts|\.)\.?permissions import .*\b(require|allows)\b", text)


def test_actor_none_is_the_system_and_anonymous_is_refused() -> None:
    from django.contrib.auth.models import AnonymousUser

    assert permissions.allows(None, "users.manage")
    assert not permissions.allows(AnonymousUser(), "registry.view")


def test_every_rule_names_a_model_and_a_capability() -> None:
    from pcmd.accounts.roles import Capability

    for label, rule in RULES.items():
        assert apps.get_model(label) is not None, label
        assert rule.capability in Capability.values, label


@pytest.mark.django_db
def test_a_model_without_a_rule_fails_loudly(persona) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from pcmd.plans.models import Objective

    with pytest.raises(ImproperlyConfigured):
        may_change(persona("thuongtruc"), Objective())
