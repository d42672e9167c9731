"""The demo is a registry: core runs the steps the settings list; every app's step is listed."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

PCMD = Path(__file__).resolve().parents[2] / "pcmd"


def _defined(name: str) -> set[str]:
    out = set()
    # demo.py (2018) and demo_<year>.py (later years, e.g. the 2026 plan and data)
    paths = [*PCMD.glob("*/demo.py"), *PCMD.glob("*/demo_[0-9][0-9][0-9][0-9].py")]
    for path in sorted(paths):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(isinstance(n, ast.FunctionDef) and n.name == name for n in tree.body):
            out.add(f"pcmd.{path.parent.name}.{path.stem}.{name}")
    return out


def test_every_demo_step_is_listed_once_and_resolves() -> None:
    assert sorted(settings.PCMD_DEMO_BASE) == sorted(_defined("load_base"))
    assert sorted(settings.PCMD_DEMO_REGISTERS) == sorted(_defined("build"))
    for path in [*settings.PCMD_DEMO_BASE, *settings.PCMD_DEMO_REGISTERS]:
        assert callable(import_string(path))
    assert len(set(settings.PCMD_DEMO_REGISTERS)) == len(settings.PCMD_DEMO_REGISTERS)


def test_the_base_comes_in_dependency_order() -> None:
    apps = [p.split(".")[1] for p in settings.PCMD_DEMO_BASE]
    assert apps.index("geo") < apps.index("agencies") < apps.index("plans")
    assert apps.index("accounts") == len(apps) - 1  # personas need units and agencies
