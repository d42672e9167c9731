"""Production settings refuse a missing or invalid environment with one clear line (issue 9.15)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD = {
    "PCMD_ENV": "production",
    "PCMD_SECRET_KEY": "x9" * 40 + "-production-secret",
    "PCMD_ALLOWED_HOSTS": "pcmd.example.gov.vn",
    "DATABASE_URL": "postgres://pcmd:secret@db.example:5432/pcmd",
    "PCMD_FIELD_KEYS": "mS1jAeN9kUu2tb3G0rXo3qHf7yY5rB6cQm0Xo1s2tEk=",
    "PCMD_BLIND_INDEX_KEY": "b" * 48,
}
VARIABLES = re.compile(r"\b(PCMD_[A-Z_]+|DATABASE_(?:REPLICA_)?URL)\b")


def _base_env() -> dict[str, str]:
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PCMD_")
        and k not in ("DATABASE_URL", "DATABASE_REPLICA_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }


def _check(**changes: str | None) -> subprocess.CompletedProcess[str]:
    env = {**_base_env(), **GOOD}
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def _settings_value(expr: str, **changes: str) -> str:
    env = {**_base_env(), **changes}
    code = f"import django; django.setup(); from django.conf import settings; print({expr})"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"DATABASE_URL": None}, "DATABASE_URL"),
        ({"DATABASE_URL": " "}, "DATABASE_URL"),
        ({"PCMD_SECRET_KEY": None}, "PCMD_SECRET_KEY"),
        ({"PCMD_FIELD_KEYS": None}, "PCMD_FIELD_KEYS"),
        ({"PCMD_FIELD_KEYS": "not-a-fernet-key"}, "PCMD_FIELD_KEYS"),
        ({"PCMD_BLIND_INDEX_KEY": None}, "PCMD_BLIND_INDEX_KEY"),
        ({"PCMD_BLIND_INDEX_KEY": "short"}, "PCMD_BLIND_INDEX_KEY"),
        ({"PCMD_SECRET_KEY": ""}, "PCMD_SECRET_KEY"),
        ({"PCMD_ALLOWED_HOSTS": None}, "PCMD_ALLOWED_HOSTS"),
        ({"PCMD_ALLOWED_HOSTS": ""}, "PCMD_ALLOWED_HOSTS"),
        ({"PCMD_ALLOWED_HOSTS": " , "}, "PCMD_ALLOWED_HOSTS"),
        ({"PCMD_ENV": "prod"}, "PCMD_ENV"),
        ({"PCMD_ENV": ""}, "PCMD_ENV"),
        ({"PCMD_DEBUG": "maybe"}, "PCMD_DEBUG"),
        ({"PCMD_AXES": "sometimes"}, "PCMD_AXES"),
        ({"PCMD_EMAIL_HOST": "smtp.example", "PCMD_EMAIL_PORT": "smtp"}, "PCMD_EMAIL_PORT"),
    ],
)
def test_a_bad_environment_is_refused_with_one_line(
    changes: dict[str, str | None], named: str
) -> None:
    result = _check(**changes)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert named in lines[0]
    assert "Traceback" not in result.stderr and "KeyError" not in result.stderr


def test_production_does_not_fall_back_to_sqlite() -> None:
    # With every variable set, production uses the database it was given.
    engine = _settings_value("settings.DATABASES['default']['ENGINE']", **GOOD)
    assert engine == "django.db.backends.postgresql"


def test_development_needs_nothing_and_reads_the_sqlite_url(tmp_path: Path) -> None:
    assert _settings_value("settings.DEBUG") == "True"
    url = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    assert _settings_value("settings.DATABASES['default']['NAME']", PCMD_SQLITE_URL=url) == str(
        tmp_path / "other.sqlite3"
    )


def test_documented_switches_are_read() -> None:
    assert _settings_value("settings.DEBUG", **GOOD, PCMD_DEBUG="1") == "True"
    assert _settings_value("settings.DEBUG", **GOOD) == "False"
    assert _settings_value("settings.AXES_ENABLED", PCMD_AXES="0") == "False"
    assert _settings_value("settings.SECURE_SSL_REDIRECT", **GOOD, PCMD_SSL_REDIRECT="0") == (
        "False"
    )
    mail = {"PCMD_EMAIL_HOST": "smtp.example", "PCMD_EMAIL_PORT": "25", "PCMD_EMAIL_TLS": "0"}
    assert _settings_value("settings.EMAIL_HOST, settings.EMAIL_PORT", **mail) == (
        "smtp.example 25"
    )
    assert _settings_value("settings.EMAIL_USE_TLS", **mail) == "False"
    assert _settings_value("settings.DEFAULT_FROM_EMAIL", PCMD_EMAIL_FROM="a@b.vn") == "a@b.vn"


def test_every_documented_variable_is_read_and_every_read_one_documented() -> None:
    settings_text = (ROOT / "config" / "settings.py").read_text(encoding="utf-8")
    docstring = settings_text.split('"""')[1]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    production = readme.split("## Production", 1)[1].split("\n## ", 1)[0]
    documented = set(VARIABLES.findall(docstring)) | set(VARIABLES.findall(production))
    # the person-layer keys are read by config/keys.py (called from the settings)
    code = settings_text.split('"""', 2)[2]
    keys_code = (ROOT / "config" / "keys.py").read_text(encoding="utf-8").split('"""', 2)[2]
    read = set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', code)) | set(
        re.findall(r'(?:required|optional)\(\s*"([A-Z_]+)"', keys_code)
    )
    assert documented - read == set(), "documented but never read"
    assert read - set(VARIABLES.findall(docstring)) == set(), "read but not documented"
    assert "os.environ" not in code, "read variables through config.env"
