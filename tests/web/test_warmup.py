"""A new worker warms itself before its first request (pcmd.web.warmup, gunicorn's hook)."""

from __future__ import annotations

import logging
import runpy
from pathlib import Path

import pytest

from pcmd.accounts.templatetags.pcmd_perms import _view_rule
from pcmd.web.context import _NAV
from pcmd.web.warmup import _templates, warm

ROOT = Path(__file__).resolve().parents[2]


def test_every_project_template_compiles(caplog: pytest.LogCaptureFixture) -> None:
    """The warm-up compiles every template under the project (not the virtualenv's, wherever
    it lives) and Django's form widgets: none is skipped for a syntax error, and the count
    covers them all."""
    dirs = [directory for _engine, directory in _templates()]
    assert all(d.is_relative_to(ROOT / "pcmd") for d in dirs) and len(set(dirs)) == len(dirs)
    project = sum(1 for d in dirs for p in d.rglob("*.html"))
    with caplog.at_level(logging.WARNING, logger="pcmd.web.warmup"):
        compiled = warm()
    assert not caplog.records, [r.getMessage() for r in caplog.records]
    assert project > 100 and compiled > project


def test_hook_fills_the_menu_rules_in_every_language() -> None:
    """gunicorn's ``post_worker_init`` (deploy/gunicorn.conf.py) runs the warm-up: afterwards
    the menu's view rules are known for every entry, in Vietnamese and in English."""
    _view_rule.cache_clear()
    config = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    config["post_worker_init"](None)
    info = _view_rule.cache_info()
    assert info.currsize >= len(_NAV)  # one path per entry (the same in both languages)
