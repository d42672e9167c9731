"""The standing office's case document (issue 12, item 6): a Decree 30 DOCX of the period's
cases in figures — checked against a hand count of the cases made here — that carries no
identity, downloaded by the standing office, the leadership and the case roles only."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pytest
from django.utils import translation
from docx import Document

from pcmd.accounts.roles import CAPABILITIES
from pcmd.agencies.models import Agency
from pcmd.cases import actions
from pcmd.cases.models import Case, CaseParty, Decision, Offence, Stage
from pcmd.people.models import Person
from tests.conftest import PERSONA_NAMES, assert_reach

from .conftest import D, commune

pytestmark = pytest.mark.django_db

TAN_LAP, EA_SO = "24118", "24379"  # Buôn Ma Thuột, Ea Kar
URL = "/cases/summary/"
# fictional persons; none of these may appear in the document
OWNER = ("Trần Văn Chủ Thử", "066080011111")
SELLER = ("Lê Thị Bán Thử", "066195022222")
BUYER = ("Phạm Văn Mua Thử", "066170033333")
CASE_TITLE = "Quán karaoke Hoa Mộc Lan Thử"
RING_NAME = "Nhóm Hoa Mộc Lan Thử"


def _new(
    police: Any, code: str, on: Any, offence: str, title: str = "Chứa mại dâm tại nhà nghỉ"
) -> Case:
    return actions.create_case(
        police,
        values={
            "title": title,
            "commune": commune(code),
            "detected_on": on,
            "detected_by": Agency.objects.get(code="CONG_AN_TINH"),
        },
        links={"offences": Offence.objects.filter(code=offence)},
    )


def _person(name_id: tuple[str, str], born: int) -> dict[str, Any]:
    return {"full_name": name_id[0], "id_number": name_id[1], "birth_year": born, "sex": "male"}


@pytest.fixture
def cases(persona: Any) -> dict[str, Any]:
    """Five cases around 2018 (Decree 09 year: 15/12/2017–14/12/2018):

    A  Tân Lập, 327.1, 05/03: opened, prosecuted 15/05, to trial 01/06, mobile trial and
       judgment 20/06 (owner sentenced; a seller as victim) — handled, enforcement
    B  Ea Sô, 328.1, 02/04: transferred for administrative sanction 10/04 — handled, closed
    C  Tân Lập, 327.1, 01/09: opened 05/09 — investigation, not handled
    D  Tân Lập, 328.1, 01/12: not opened, decided 05/01/2019 — received, not handled by 14/12
    E  Tân Lập, 327.1, 01/02/2019 — outside the period
    Ring (Buôn Ma Thuột, 01/08): cases A and C, the owner as member — not handled.
    """
    police, vks, court = persona("congan"), persona("vks"), persona("toaan")
    a = _new(police, TAN_LAP, D(2018, 3, 5), "327.1", CASE_TITLE)
    owner = actions.add_party(
        police, a, role="owner", standing="suspect", values=_person(OWNER, 1980)
    )
    actions.add_party(police, a, role="seller", standing="victim", values=_person(SELLER, 1995))
    actions.decide(police, a, decision=Decision.OPEN, on=D(2018, 3, 10))
    actions.decide(police, a, decision=Decision.PROPOSE_PROSECUTION, on=D(2018, 5, 1))
    actions.decide(vks, a, decision=Decision.INDICT, on=D(2018, 5, 15))
    actions.decide(court, a, decision=Decision.BRING_TO_TRIAL, on=D(2018, 6, 1))
    actions.record_trial(
        court,
        a,
        values={
            "court": Agency.objects.get(code="TAND_TINH"),
            "held_on": D(2018, 6, 20),
            "venue": "Hội trường tổ dân phố 3 Thử",
            "is_mobile": True,
            "location": commune(TAN_LAP),
            "audience": 300,
        },
    )
    actions.decide(court, a, decision=Decision.JUDGMENT, on=D(2018, 6, 20))
    owner.refresh_from_db()
    actions.change_party(court, owner, sentence="3 năm tù", prison_months=36)

    b = _new(police, EA_SO, D(2018, 4, 2), "328.1")
    actions.add_party(police, b, role="buyer", standing="related", values=_person(BUYER, 1970))
    actions.decide(
        police, b, decision=Decision.TRANSFER_ADMIN, on=D(2018, 4, 10), reason="Không đủ yếu tố"
    )
    c = _new(police, TAN_LAP, D(2018, 9, 1), "327.1")
    actions.decide(police, c, decision=Decision.OPEN, on=D(2018, 9, 5))
    d = _new(police, TAN_LAP, D(2018, 12, 1), "328.1")
    actions.decide(police, d, decision=Decision.NOT_OPEN, on=D(2019, 1, 5), reason="Không có")
    e = _new(police, TAN_LAP, D(2019, 2, 1), "327.1")

    ring = actions.create_ring(
        police,
        values={"name": RING_NAME, "unit": commune(TAN_LAP).parent, "detected_on": D(2018, 8, 1)},
    )
    for case in (a, c):
        actions.update_case(police, case, version=None, values={"ring": ring})
    actions.add_member(police, ring, role="owner", person=owner.person)
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "ring": ring}


def _download(client: Any, **params: Any) -> Any:
    response = client.get(URL, params)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert response["Content-Disposition"].startswith("attachment;")
    return response


def _tables(doc: Any) -> dict[str, list[list[str]]]:
    """Each table of figures by the title in the paragraph before it."""
    out: dict[str, list[list[str]]] = {}
    body = doc.element.body
    title = ""
    tables = iter(doc.tables)
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")).strip()
            if text:
                title = text
        elif tag == "tbl":
            table = next(tables)
            if title:
                out[title] = [[cell.text.strip() for cell in row.cells] for row in table.rows]
            title = ""  # a table without a title of its own (header, signature) is not one
    return out


def _table(tables: dict[str, list[list[str]]], prefix: str) -> list[list[str]]:
    found = [rows for title, rows in tables.items() if title.startswith(prefix)]
    assert len(found) == 1, (prefix, list(tables))
    return found[0]


def _column(rows: list[list[str]], label_col: int = 1, value_col: int = 2) -> dict[str, str]:
    return {row[label_col]: row[value_col] for row in rows[1:]}


def test_the_document_counts_the_cases_of_the_period(
    cases: dict[str, Any], client_for: Any
) -> None:
    response = _download(client_for("thuongtruc"), year=2018)
    assert 'filename="tong-hop-vu-an-2018-66.docx"' in response["Content-Disposition"]
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    # Decree 30 header: the standing office of the province, to the People's Committee
    head = [c.text for row in doc.tables[0].rows for c in row.cells]
    assert any("SỞ LAO ĐỘNG" in t and "UBND TỈNH ĐẮK LẮK" in t for t in head), head
    assert any("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in t for t in head)
    assert "BÁO CÁO" in text and "năm 2018" in text
    assert "(Số liệu từ ngày 15/12/2017 đến ngày 14/12/2018)" in text
    assert "Kính gửi: Ủy ban nhân dân tỉnh Đắk Lắk." in text
    assert "phát hiện 4 vụ việc" in text and "đã xử lý 2 vụ, đạt tỷ lệ 50,0%" in text
    signature = [c.text for c in doc.tables[-1].rows[0].cells]
    assert "Nơi nhận:" in signature[0] and "GIÁM ĐỐC" in signature[1]

    tables = _tables(doc)
    stages = _column(_table(tables, "1. "))
    with translation.override("vi"):
        assert stages == {
            str(Stage.ENFORCEMENT.label): "1",  # A
            "Đã kết thúc": "1",  # B
            str(Stage.INVESTIGATION.label): "1",  # C
            str(Stage.RECEIVED.label): "1",  # D: its refusal came after the period
            "Tổng cộng": "4",
        }
    outcomes = _table(tables, "2. ")
    assert [row[2] for row in outcomes[1:]] == ["1", "1", "2", "4"], outcomes
    assert outcomes[-2][1] == "Chưa xử lý xong trong kỳ"
    offences = {row[1].split(" —")[0]: row[2:] for row in _table(tables, "3. ")[1:]}
    assert offences == {"Điều 327 khoản 1": ["2", "1"], "Điều 328 khoản 1": ["2", "1"]}
    districts = {row[1]: row[2:] for row in _table(tables, "4. ")[1:]}
    assert districts == {
        "Huyện Ea Kar": ["1", "1", "100,0%"],
        "Thành phố Buôn Ma Thuột": ["3", "1", "33,3%"],
        "Tổng cộng": ["4", "2", "50,0%"],
    }
    # persons: one of each role, counted but shown "<5" (the small-cell rule)
    persons = _table(tables, "5. ")
    assert len(persons) == 4 and all(row[2] == "<5" for row in persons[1:]), persons
    assert sorted(row[3] for row in persons[1:]) == ["0", "0", "<5"]
    rings = _table(tables, "6. ")
    assert rings[1][1:] == [
        cases["ring"].code,
        "Thành phố Buôn Ma Thuột",
        "01/08/2018",
        "2",
        "1",
        "<5",
        "Chưa xử lý xong",
    ]
    trials = _column(_table(tables, "7. "))
    assert list(trials.values()) == ["1", "0", "1", "300", "<5"], trials
    mobile = _table(tables, "Các phiên tòa xét xử lưu động")
    assert mobile[1][1:] == [cases["a"].code, "20/06/2018", "Phường Tân Lập", "300"]


def test_each_case_stands_as_it_was_at_the_end_of_the_period(
    cases: dict[str, Any], client_for: Any
) -> None:
    """First six months under the Decree 09 cut-off (15/12/2017–14/06/2018): A and B only;
    A is at trial then (the judgment of 20/06 comes later) and counts as handled by its
    indictment; calendar quarter 2: B only."""
    client = client_for("congan")
    doc = Document(io.BytesIO(_download(client, year=2018, period="H1").content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "6 tháng đầu năm 2018" in text and "đến ngày 14/06/2018" in text
    assert "phát hiện 2 vụ việc" in text and "đạt tỷ lệ 100,0%" in text
    tables = _tables(doc)
    assert [row[2] for row in _table(tables, "1. ")[1:]] == ["1", "1", "2"]
    outcomes = {row[1]: row[2] for row in _table(tables, "2. ")[1:]}
    assert list(outcomes.values()) == ["1", "1", "0", "2"], outcomes  # indictment, transfer
    assert "Các phiên tòa xét xử lưu động" not in _tables(doc)  # the trial is after 14/06
    # the ring (through A): by 14/06 its only case was A, handled then
    ring = _table(tables, "6. ")[1]
    assert (ring[1], ring[4], ring[5], ring[-1]) == (cases["ring"].code, "1", "1", "Đã xử lý")

    doc = Document(io.BytesIO(_download(client, year=2018, period="Q2", cutoff="calendar").content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "(Số liệu từ ngày 01/04/2018 đến ngày 30/06/2018)" in text
    assert "phát hiện 1 vụ việc" in text  # B (A was detected in March)
    assert "Các phiên tòa xét xử lưu động" in _tables(doc)  # A's trial was held in June


def test_the_document_carries_no_identity(cases: dict[str, Any], client_for: Any) -> None:
    content = _download(client_for("thuongtruc"), year=2018).content
    with zipfile.ZipFile(io.BytesIO(content)) as docx:
        xml = "".join(
            docx.read(name).decode("utf-8") for name in docx.namelist() if name.endswith(".xml")
        )
    text = re.sub(r"<[^>]+>", "", xml)  # runs may split words: look at the text too
    codes = list(Person.objects.values_list("code", flat=True))
    assert codes
    secrets = [*OWNER, *SELLER, *BUYER, *codes, CASE_TITLE, RING_NAME, "Hội trường"]
    for secret in secrets:
        assert secret not in xml and secret not in text, secret
    assert cases["a"].code in text  # cases and rings by their numbers only
    sentence = CaseParty.objects.get(role="owner").sentence
    assert sentence not in text


def test_who_may_download_it_follows_the_roles(cases: dict[str, Any], persona: Any) -> None:
    may = {name for name in PERSONA_NAMES if persona(name).can("cases.summary")}
    # the standing office and the leadership (figures, no case files) and the case roles
    assert may == {"admin", "thuongtruc", "lanhdao", "congan", "vks", "toaan"}
    holders = {role for role, caps in CAPABILITIES.items() if "cases.summary" in caps}
    assert {role for role, caps in CAPABILITIES.items() if "cases.view" in caps} <= holders


def test_the_form_and_the_file_open_for_the_holders_only(
    cases: dict[str, Any], client_for: Any, persona: Any
) -> None:
    may = [name for name in PERSONA_NAMES if persona(name).can("cases.summary")]
    assert_reach(client_for, URL, may, denied_status=(403,))
    assert_reach(client_for, f"{URL}?year=2018", may, denied_status=(403,))
    page = client_for("lanhdao").get(URL).content.decode()
    assert 'name="year"' in page and 'name="period"' in page and "Tải về (DOCX)" in page


@pytest.mark.parametrize(
    ("params", "field", "vi", "en"),
    [
        ({"year": "abc"}, "year", "Năm", "Year"),
        ({"year": "1999"}, "year", "Năm", "Enter a year between 2000"),
        ({"year": "2018", "period": "H3"}, "period", "Kỳ báo cáo", "Reporting period"),
        ({"year": "2018", "unit": "99999999"}, "unit", "Địa bàn", "Area"),
        ({"year": "2018", "cutoff": "zzz"}, "cutoff", "Mốc", "Data cut-off"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_in_both_languages(
    client_for: Any, params: dict[str, str], field: str, vi: str, en: str
) -> None:
    response = client_for("thuongtruc").get(URL, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert vi in html and en in html


def test_an_area_outside_the_scope_cannot_be_chosen(client_for: Any) -> None:
    """A district in the form is one of the user's scope: the unit of another province is
    refused like an unknown one."""
    from pcmd.geo.loader import load_provinces
    from pcmd.geo.models import Unit

    load_provinces(["Kon Tum"])
    kontum = Unit.objects.get(code="62", valid_from=None)
    response = client_for("congan").get(URL, {"year": 2018, "unit": kontum.pk})
    assert response.status_code == 400


def test_a_district_area_counts_its_own_cases(cases: dict[str, Any], client_for: Any) -> None:
    district = commune(EA_SO).parent
    doc = Document(io.BytesIO(_download(client_for("vks"), year=2018, unit=district.pk).content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "huyện Ea Kar" in text and "phát hiện 1 vụ việc" in text
    assert "đạt tỷ lệ 100,0%" in text


def test_the_document_runs_a_fixed_number_of_queries(persona: Any, client_for: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    police = persona("congan")
    client = client_for("lanhdao")
    _new(police, TAN_LAP, D(2018, 3, 5), "327.1")
    with CaptureQueriesContext(connection) as few:
        _download(client, year=2018)
    for day in range(1, 9):
        case = _new(police, EA_SO if day % 2 else TAN_LAP, D(2018, 4, day), "328.1")
        actions.decide(police, case, decision=Decision.OPEN, on=D(2018, 4, 20))
    with CaptureQueriesContext(connection) as many:
        _download(client, year=2018)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_refused_form_shows_the_defaults_it_would_have_used(client_for: Any) -> None:
    """The period, the cut-off and the area left out take their defaults — shown as chosen
    when the form comes back with an error, so that sending it again means the same."""
    html = client_for("thuongtruc").get(URL, {"year": "1999"}).content.decode()
    assert re.search(r'<option value="decree09" selected>', html)
    assert re.search(r'<option value="year" selected>', html)
