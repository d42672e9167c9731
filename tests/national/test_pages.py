"""The ministry's pages, API and DOCX: who reaches them, what they show, bad parameters."""

from __future__ import annotations

import io
from typing import Any

import docx
import pytest

from tests.conftest import PERSONA_NAMES, assert_reach
from tests.reporting.layout import all_paragraphs, assert_decree_30_layout

from .conftest import YEAR

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("national")]

PAGES = ["/national/", "/national/map/", "/national/completeness/", "/national/report.docx"]
API = ["/api/v1/national/figures", "/api/v1/national/completeness"]


@pytest.mark.parametrize("url", PAGES + API)
def test_only_the_ministry_and_the_administrator_reach_them(client_for: Any, url: str) -> None:
    assert_reach(client_for, f"{url}?year={YEAR}", ["admin"])
    assert client_for("boyte").get(f"{url}?year={YEAR}").status_code == 200
    assert "boyte" not in PERSONA_NAMES  # the 2018 matrices stay as they were


def test_overview_lists_every_province_with_approved_figures_only(client_for: Any) -> None:
    page = client_for("boyte").get(f"/national/?year={YEAR}").content.decode()
    assert 'data-province="56"' in page and 'data-province="66"' in page
    assert "Tỉnh Ninh Thuận" in page  # named as a former province of the new Khánh Hòa
    assert "1629/QĐ-TTg" not in page  # 2018: before the 2021–2025 programme
    later = client_for("boyte").get("/national/?year=2021").content.decode()
    assert "1629/QĐ-TTg" in later and "N1" in later


def test_map_draws_a_cell_per_province_and_lists_the_values(client_for: Any) -> None:
    page = client_for("boyte").get(f"/national/map/?year={YEAR}&field=inspections")
    text = page.content.decode()
    assert page.status_code == 200
    assert text.count('class="cell"') == 2  # new Đắk Lắk and new Khánh Hòa
    assert 'id="map-table"' in text


def test_completeness_page_shows_states(client_for: Any) -> None:
    text = client_for("boyte").get(f"/national/completeness/?year={YEAR}").content.decode()
    assert 'data-state="awaiting"' in text and 'data-state="missing"' in text


@pytest.mark.parametrize(
    "url",
    [
        "/national/?year=abc",
        "/national/?year=1990",
        "/national/map/?year=20180",
        "/national/map/?year=2018&field=nope",
        "/national/completeness/?year=2018x",
        "/national/report.docx?year=x",
    ],
)
def test_bad_parameters_get_a_bilingual_400(client_for: Any, url: str) -> None:
    response = client_for("boyte").get(url)
    assert response.status_code == 400
    text = response.content.decode()
    assert ("Năm" in text and "Year" in text) or ("Số liệu" in text and "Figure" in text)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/national/figures?year=abc",
        "/api/v1/national/completeness?year=1800",
        "/api/v1/national/figures?period=month",
    ],
)
def test_api_bad_parameters_get_the_json_400(client_for: Any, url: str) -> None:
    response = client_for("boyte").get(url)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["message"] and error["message_en"] and error["fields"]


def test_api_gives_the_approved_figures(client_for: Any) -> None:
    data = client_for("boyte").get(f"/api/v1/national/figures?year={YEAR}").json()
    assert data["period"] == str(YEAR) and data["form"] == "tong-hop-nam"
    by_code = {p["code"]: p for p in data["provinces"]}
    assert by_code["56"]["approved_reports"] == 1  # Ninh Thuận's was not approved
    assert by_code["66"]["sources"] == ["Tỉnh Phú Yên", "Tỉnh Đắk Lắk"]
    half = client_for("boyte").get(f"/api/v1/national/figures?year={YEAR}&period=half").json()
    assert half["form"] == "tong-hop-6-thang"
    done = client_for("boyte").get(f"/api/v1/national/completeness?year={YEAR}").json()
    states = {p["code"]: [r["state"] for r in p["reports"]] for p in done["provinces"]}
    assert states["56"] == ["awaiting", "awaiting"]


def test_the_schema_documents_the_national_endpoints(client_for: Any) -> None:
    schema = client_for("admin").get("/api/v1/openapi.json").json()
    assert {"/api/v1/national/figures", "/api/v1/national/completeness"} <= set(schema["paths"])


def test_docx_has_the_decree_30_layout_headings_and_province_table(client_for: Any) -> None:
    response = client_for("boyte").get(f"/national/report.docx?year={YEAR}")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    assert_decree_30_layout(document)
    texts = [p.text for p in all_paragraphs(document)]
    for heading in (
        "BỘ Y TẾ",
        "DỰ THẢO",
        "BÁO CÁO",
        f"Tổng hợp kết quả công tác phòng, chống mại dâm năm {YEAR} của các tỉnh, thành phố",
        "I. TÌNH HÌNH BÁO CÁO CỦA CÁC TỈNH, THÀNH PHỐ",
        "II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CỦA CHƯƠNG TRÌNH QUỐC GIA",
        "III. SỐ LIỆU CỦA CÁC TỈNH, THÀNH PHỐ",
        "KT. BỘ TRƯỞNG",
    ):
        assert heading in texts, heading
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "STT")
    provinces = [row.cells[1].text for row in table.rows[1:]]
    assert "Tỉnh Khánh Hòa" in provinces and "Tỉnh Đắk Lắk" in provinces
    assert any("Nghị định số 42/2025/NĐ-CP" in t for t in texts)


@pytest.mark.parametrize("url", PAGES + API)
def test_pages_run_a_bounded_number_of_queries(
    client_for: Any, django_assert_max_num_queries: Any, url: str
) -> None:
    client = client_for("boyte")
    with django_assert_max_num_queries(45):
        assert client.get(f"{url}?year={YEAR}").status_code == 200
