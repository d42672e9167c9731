"""Error messages name a period by its label ("6 tháng đầu năm 2018"), never its code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from pcmd.reporting.models import ReportForm

from .conftest import open_report, unit, user

pytestmark = pytest.mark.django_db


def messages(exc: ValidationError) -> dict[str, str]:
    out = {}
    for lang in ("vi", "en"):
        with translation.override(lang):
            out[lang] = " ".join(m for ms in exc.message_dict.values() for m in ms)
    return out


def test_a_report_that_exists_is_named_by_its_period_label() -> None:
    open_report("pcmd-6-thang", "2018-H1", by="xa.tanlap", unit_code="24118")
    with pytest.raises(ValidationError) as caught:
        open_report("pcmd-6-thang", "2018-H1", by="xa.tanlap", unit_code="24118")
    text = messages(caught.value)
    assert "6 tháng đầu năm 2018" in text["vi"] and "2018-H1" not in text["vi"]
    assert "2018-H1" not in text["en"] and "2018" in text["en"]


def test_a_period_of_the_wrong_kind_is_named_by_its_label() -> None:
    from pcmd.reporting import actions

    form = ReportForm.objects.get(code="pcmd-6-thang")
    with pytest.raises(ValidationError) as caught:
        actions.start_submission(form, "2018-Q2", actor=user("xa.tanlap"), unit=unit("24118"))
    text = messages(caught.value)
    assert "quý II năm 2018" in text["vi"] and "2018-Q2" not in text["vi"] + text["en"]


def test_no_message_is_given_a_period_code() -> None:
    """A source check: a message parameter named period is never a bare period code."""
    root = Path(__file__).resolve().parents[2] / "pcmd"
    bare = re.compile(r"\bperiod=(\w+\.)*(code|period_code)\b")
    found = [
        f"{path.relative_to(root)}:{n}"
        for path in root.rglob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if bare.search(line) and "filter(" not in line and "period_code=" not in line
    ]
    assert found == []
