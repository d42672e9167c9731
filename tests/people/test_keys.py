"""Production refuses to start without the person-layer keys; bad keys are named."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import keys
from config.env import ConfigurationError


def test_production_requires_both_keys(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PCMD_FIELD_KEYS", raising=False)
    monkeypatch.delenv("PCMD_BLIND_INDEX_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="PCMD_FIELD_KEYS"):
        keys.load(tmp_path, production=True)
    monkeypatch.setenv("PCMD_FIELD_KEYS", "not-a-key")
    monkeypatch.setenv("PCMD_BLIND_INDEX_KEY", "x" * 40)
    with pytest.raises(ConfigurationError, match="key 1 is not a Fernet key"):
        keys.load(tmp_path, production=True)


def test_development_generates_keys_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PCMD_FIELD_KEYS", raising=False)
    first = keys.load(tmp_path, production=False)
    assert (tmp_path / "var" / "field-keys.env").exists()
    assert keys.load(tmp_path, production=False) == first
