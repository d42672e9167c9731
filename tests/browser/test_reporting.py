"""A commune report walked from draft to approved through the district; the district's DOCX."""

from __future__ import annotations

import docx
from playwright.sync_api import expect

from pcmd.reporting.seed import seed_forms


def test_commune_report_from_draft_to_approved_and_district_docx(
    page_for, demo_server, tmp_path
) -> None:
    seed_forms()  # a transactional test before this one may have flushed the seeded forms
    commune = page_for("xa.tanlap")
    commune.goto(f"{demo_server.url}/reporting/?year=2018")
    row = commune.locator('#to-submit tr[data-form="pcmd-6-thang"][data-period="2018-H1"]')
    row.locator("button[type=submit]").click()
    commune.wait_for_url("**/edit/")
    # a blocking rule first: more female staff than staff
    commune.fill("#id_staff", "10")
    commune.fill("#id_female_staff", "12")
    commune.fill("#id_assessment", "Tình hình tệ nạn mại dâm trên địa bàn được kiểm soát.")
    commune.fill("#id_highlights__0__content", "Tuyên truyền tại tổ dân phố 5")
    commune.fill("#id_highlights__0__participants", "85")
    commune.click("#save-submit-button")
    expect(commune.locator("#rule-hits")).to_contain_text("Trong đó: lao động nữ")
    expect(commune.locator('[data-rule="female_le_staff"]').first).to_be_visible()
    commune.fill("#id_female_staff", "7")
    commune.click("#save-submit-button")
    expect(commune.locator('#status [data-status="submitted"]')).to_be_visible()
    report_url = commune.url

    district = page_for("huyen.bmt")
    district.goto(f"{demo_server.url}/reporting/?year=2018")
    district.locator("#to-approve").get_by_role("link").first.click()
    assert district.url == f"{report_url}?from=inbox"  # the inbox tab stays highlighted
    expect(district.locator("#value-staff")).to_contain_text("10")
    district.click("#approve-button")
    expect(district.locator('#status [data-status="approved"]')).to_be_visible()

    # the district's own report shows its communes' approved figures; download its DOCX
    district.goto(f"{demo_server.url}/reporting/?year=2018")
    own = district.locator('#to-submit tr[data-form="pcmd-6-thang"][data-period="2018-H1"]')
    own.locator("button[type=submit]").click()
    district.wait_for_url("**/edit/")
    expect(district.locator('#below tr[data-unit="24118"]')).to_contain_text("10")
    district.fill("#id_doc_number", "42")
    district.click("#save-button")
    expect(district.locator("#id_doc_number")).to_have_value("42")
    district.goto(district.url.replace("/edit/", "/"))
    with district.expect_download() as info:
        district.click("#download-docx")
    path = tmp_path / "district.docx"
    info.value.save_as(path)
    document = docx.Document(str(path))
    head = document.tables[0]
    assert head.rows[0].cells[0].text.split("\n")[:2] == [
        "ỦY BAN NHÂN DÂN",
        "THÀNH PHỐ BUÔN MA THUỘT",
    ]
    assert head.rows[1].cells[0].text == "Số: 42/BC-UBND"
    annex = [t for t in document.tables if t.rows[0].cells[1].text == "Đơn vị"]
    status = {r.cells[1].text: r.cells[-1].text for r in annex[0].rows}
    assert status["Phường Tân Lập"] == "Đã duyệt"
