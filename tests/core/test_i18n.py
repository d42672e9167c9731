"""The Vietnamese catalog is complete and matches the code (DESIGN.md §7.5)."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def test_every_entry_has_a_vietnamese_translation() -> None:
    catalog = polib.pofile(str(PO))
    missing = [e.msgid for e in catalog if not e.translated() or "fuzzy" in e.flags]
    assert missing == []


def test_compiled_catalog_matches_the_po_file() -> None:
    compiled = polib.mofile(str(MO))
    source = polib.pofile(str(PO))
    assert {(e.msgid, e.msgstr) for e in compiled if e.msgid and not e.msgid_plural} == {
        (e.msgid, e.msgstr) for e in source if e.msgid and not e.msgid_plural
    }
    assert {(e.msgid, e.msgstr_plural[0]) for e in compiled if e.msgid_plural} == {
        (e.msgid, e.msgstr_plural[0]) for e in source if e.msgid_plural
    }


def test_catalog_is_not_stale(tmp_path: Path) -> None:
    assert shutil.which("xgettext"), "gettext is required (apt-get install gettext)"
    work = tmp_path / "tree"
    shutil.copytree(
        ROOT,
        work,
        ignore=shutil.ignore_patterns(
            ".venv", "var", ".git", "__pycache__", ".pytest_cache", ".ruff_cache", "node_modules"
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "vi",
            "--no-obsolete",
            "-i",
            "benchmarks/*",
            "-v0",
        ],
        cwd=work,
        check=True,
    )
    fresh = {e.msgid for e in polib.pofile(str(work / PO.relative_to(ROOT))) if e.msgid}
    current = {e.msgid for e in polib.pofile(str(PO)) if e.msgid}
    assert fresh - current == set(), "run `make messages` and translate the new strings"
    assert current - fresh == set(), "run `make messages` to drop unused strings"


@pytest.mark.django_db
def test_language_switch(client_for) -> None:
    client: Client = client_for("admin")
    assert "Đăng xuất" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Sign out" in client.get("/").content.decode()


@pytest.mark.django_db
def test_vietnamese_even_when_the_browser_asks_for_english(client_for) -> None:
    client: Client = client_for("admin")
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Đăng xuất" in html
