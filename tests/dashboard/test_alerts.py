"""Dashboard alerts (issue 9.13): a soft-deleted inspection is not a visit."""

from __future__ import annotations

import pytest

from pcmd.inspections.models import Inspection
from tests.inspections import builders as b

pytestmark = pytest.mark.django_db


def _never_inspected(client) -> str:
    html = client.get("/dashboard/?period=2018").content.decode()
    if 'id="alert-never-inspected"' not in html:
        return ""
    return html.split('id="alert-never-inspected"')[1].split("</section>")[0]


def test_an_establishment_whose_only_inspection_was_deleted_was_never_inspected(
    client_for,
) -> None:
    visited = b.establishment(name="Karaoke Đã Kiểm Tra")
    struck = b.establishment(name="Karaoke Bị Xoá Biên Bản")
    team = b.team(b.BMT)
    b.inspection(team, visited)
    deleted = b.inspection(team, struck)
    Inspection.objects.filter(pk=deleted.pk).update(is_deleted=True)
    alert = _never_inspected(client_for("huyen.bmt"))
    assert "Karaoke Bị Xoá Biên Bản" in alert
    assert "Karaoke Đã Kiểm Tra" not in alert
