"""The edit page: optimistic locking (409, both languages) and explanations of warnings."""

from __future__ import annotations

import pytest

from pcmd.reporting.models import Submission

from .conftest import GOOD_POLICE, open_report

pytestmark = pytest.mark.django_db


def _post(client, sub, version, values, action="save", **extra):
    data = {
        "version": version,
        "action": action,
        **{k: v for k, v in values.items() if not isinstance(v, list)},
        **extra,
    }
    return client.post(f"/reporting/reports/{sub.pk}/edit/", data)


def test_stale_edit_is_refused_with_the_message_in_both_languages(client_for) -> None:
    sub = open_report("pcmd-6-thang", "2018-H1", by="huyen.bmt", unit_code="643")
    old = sub.version
    assert _post(client_for("huyen.bmt"), sub, old, {"staff": "30"}).status_code == 302
    response = _post(client_for("ctxh.bmt"), sub, old, {"staff": "99"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this record" in page  # English half of the message
    assert page.count(" / ") >= 1
    assert Submission.objects.get(pk=sub.pk).values["staff"] == 30


def test_warning_asks_for_an_explanation_on_the_page(client_for) -> None:
    sub = open_report("ca-xu-phat-thang", "2018-05", by="congan", agency_code="CONG_AN_TINH")
    client = client_for("congan")
    # 90.000.000 đ for 1 subject fined: above the 80.000.000 đ maximum of the 2018 catalog
    values = {**GOOD_POLICE, "fines": "1", "warnings": "7", "amount_collected": "90.000.000"}
    response = _post(client, sub, sub.version, values, action="submit")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'name="explanation_fine_in_range"' in page
    sub.refresh_from_db()
    assert sub.status == "draft" and sub.values["amount_collected"] == 90_000_000
    response = _post(
        client,
        sub,
        sub.version,
        values,
        action="submit",
        explanation_fine_in_range="Phạt chủ cơ sở chứa mại dâm.",
    )
    assert response.status_code == 302
    sub.refresh_from_db()
    assert sub.status == "submitted"
    assert sub.rule_hits.get().explanation == "Phạt chủ cơ sở chứa mại dâm."
