import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_production_settings_pass_the_deploy_check(tmp_path: Path) -> None:
    # Browser tests in the same worker set DJANGO_ALLOW_ASYNC_UNSAFE for Playwright; a
    # production process never has it.
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "PCMD_ENV": "production",
        "PCMD_SECRET_KEY": "x9" * 40 + "-production-secret",
        "PCMD_ALLOWED_HOSTS": "pcmd.example.gov.vn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "PCMD_FIELD_KEYS": "mS1jAeN9kUu2tb3G0rXo3qHf7yY5rB6cQm0Xo1s2tEk=",
        "PCMD_BLIND_INDEX_KEY": "b" * 48,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PCMD_SECRET_KEY"}
    env.update({"PCMD_ENV": "production", "PCMD_ALLOWED_HOSTS": "x"})
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "PCMD_SECRET_KEY" in result.stderr
