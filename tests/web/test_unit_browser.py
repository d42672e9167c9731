import re

import pytest

from pcmd.geo.models import Unit, UnitLevel

pytestmark = pytest.mark.django_db


def summary(html: str) -> str:
    match = re.search(r'id="unit-summary">(.*?)<a', html, re.S)
    assert match, html[:500]
    return " ".join(match.group(1).split())


@pytest.mark.parametrize(
    ("on", "districts", "communes"),
    [
        ("12/03/2018", 15, 184),
        ("04/01/2025", 15, 180),
    ],
)
def test_old_dak_lak_counts_in_the_ui(client_for, on, districts, communes) -> None:
    old = Unit.objects.get(code="66", level=UnitLevel.PROVINCE, valid_from=None)
    html = client_for("xa.easo").get(f"/units/?parent={old.pk}&on={on}").content.decode()
    text = summary(html)
    assert f"{districts} " in text and f"{communes} " in text, text


def test_new_dak_lak_in_the_ui(client_for) -> None:
    new = Unit.objects.get(code="66", level=UnitLevel.PROVINCE, valid_from__isnull=False)
    html = client_for("xa.easo").get(f"/units/?parent={new.pk}&on=01/07/2025").content.decode()
    text = summary(html)
    assert "0 " in text and "102 " in text, text


def test_province_list_changes_with_the_date(client_for) -> None:
    client = client_for("admin")
    before = client.get("/units/?on=12/03/2018").content.decode()
    after = client.get("/units/?on=01/07/2025").content.decode()
    assert "Tỉnh Phú Yên" in before and "Tỉnh Phú Yên" not in after
    assert "Tỉnh Đắk Lắk" in after


def test_historic_name_and_successor_on_detail(client_for) -> None:
    client = client_for("admin")
    bmt = Unit.objects.get(code="643")
    html = client.get(f"/units/?parent={bmt.pk}&on=12/03/2018").content.decode()
    assert "Phường Thắng Lợi" in html and "Phường Thống Nhất" in html
    unit = Unit.objects.get(code="24127")
    detail = client.get(f"/units/{unit.pk}/").content.decode()
    assert "Phường Tân Tiến" in detail and "1193/NQ-UBTVQH15" in detail


def test_bad_date_keeps_today_and_says_so(client_for) -> None:
    response = client_for("admin").get("/units/?on=31/02/2018")
    assert response.status_code == 200
    assert "dd/mm/yyyy" in response.content.decode()


def test_unit_list_query_count_is_bounded(client_for, django_assert_max_num_queries) -> None:
    client = client_for("admin")
    old = Unit.objects.get(code="643")
    with django_assert_max_num_queries(12):
        client.get(f"/units/?parent={old.pk}&on=12/03/2018")
