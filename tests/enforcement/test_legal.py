"""Legal data of issue 11 (item 13): the corrected catalog with its sources, the statutory
maxima, the catalog in force on a date, and the Art. 7 periods after which a person counts as
never sanctioned (pcmd.enforcement.legal)."""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from pcmd.accounts.models import User
from pcmd.enforcement import actions, catalog, legal
from pcmd.enforcement.models import (
    Sanction,
    SanctionForm,
    SanctionStatus,
    SubjectKind,
    Violation,
    ViolationType,
)
from tests.inspections import builders as b

pytestmark = pytest.mark.django_db

D2023 = datetime.date(2023, 5, 10)

# Every code of the catalog before issue 11: violations refer to them, they must stay.
CODES_BEFORE = {
    "nd167-d22-k1-mua-dam",
    "nd167-d22-k2-mua-dam-nhieu-nguoi",
    "nd167-d23-k1-ban-dam",
    "nd167-d23-k2-ban-dam-nhieu-nguoi",
    "nd167-d24-bao-ke-dung-tung",
    "nd167-d25-chua-moi-gioi",
    "nd144-d24-k1-mua-dam",
    "nd144-d24-k2-mua-dam-nhieu-nguoi",
    "nd144-d25-k1-ban-dam",
    "nd144-d25-k2-ban-dam-nhieu-nguoi",
    "nd144-d26-moi-gioi",
    "nd144-d27-chua-bao-ke",
    "nd282-d32-k1-mua-dam",
    "nd282-d32-k2-mua-dam-nhieu-nguoi",
    "nd282-d33-k1-ban-dam",
    "nd282-d33-k2-ban-dam-nhieu-nguoi",
}


def vtype(code: str) -> ViolationType:
    return ViolationType.objects.get(code=code)


def ranges(code: str) -> tuple[object, ...]:
    t = vtype(code)
    return (
        t.clause,
        t.fine_min_individual,
        t.fine_max_individual,
        t.fine_min_organisation,
        t.fine_max_organisation,
    )


def violation_2023(code: str, subject: str = SubjectKind.INDIVIDUAL) -> Violation:
    return actions.record_violation(
        actor=None,
        violation_type=vtype(code),
        date=D2023,
        establishment=b.establishment(b.TAN_LAP, name="Quán karaoke 2023"),
        subject_kind=subject,
    )


def fine(v: Violation, amount: int) -> Sanction:
    return actions.record_sanction(
        actor=None,
        violation=v,
        number="12/QĐ-XPHC",
        date=v.date + datetime.timedelta(days=2),
        authority="Trưởng Công an",
        form=SanctionForm.FINE,
        amount=amount,
    )


# --- the catalog -------------------------------------------------------------------------


def test_catalog_has_the_corrected_decree_144_ranges() -> None:
    assert ranges("nd144-d25-k2-ban-dam-nhieu-nguoi") == ("2", 1_000_000, 2_000_000, None, None)
    assert ranges("nd144-d26-k2-che-giau-bao-ke") == (
        "2",
        5_000_000,
        10_000_000,
        10_000_000,
        20_000_000,
    )
    assert ranges("nd144-d26-k3-giup-suc-ep-buoc") == (
        "3",
        10_000_000,
        20_000_000,
        20_000_000,
        40_000_000,
    )
    # the old "brokering" row keeps its code: clause 4 (force, money or property, brokering)
    assert ranges("nd144-d26-moi-gioi") == ("4", 30_000_000, 50_000_000, 60_000_000, 100_000_000)
    assert "môi giới" in vtype("nd144-d26-moi-gioi").name
    assert "góp tiền" in vtype("nd144-d26-moi-gioi").name
    assert ranges("nd144-d26-k5-loi-dung-chuc-vu") == ("5", 50_000_000, 75_000_000, None, None)
    # "bảo kê" belongs to Art. 26, not Art. 27
    assert "bảo kê" not in vtype("nd144-d27-chua-bao-ke").name
    assert "bảo kê" in vtype("nd144-d26-k2-che-giau-bao-ke").name
    assert "Điều 27" in vtype("nd144-d27-chua-bao-ke").source


def test_every_row_keeps_its_code_and_says_where_it_was_read() -> None:
    codes = set(ViolationType.objects.values_list("code", flat=True))
    assert codes >= CODES_BEFORE
    for t in ViolationType.objects.all():
        # no official text could be read: nothing is marked verified, each row says why
        assert not t.verified, t.code
        assert "Chưa đối chiếu:" in t.source, t.code
        assert "http" in t.source or "Issue 11" in t.source, t.code
    # no provision beyond what the law allows in its decree
    for t in ViolationType.objects.all():
        for subject in SubjectKind.values:
            high = t.fine_range(subject)[1]
            limit = t.legal_maximum(subject)
            assert high is None or limit is None or high <= limit, (t.code, subject)


def test_data_migration_corrects_an_existing_database() -> None:
    ViolationType.objects.filter(code="nd144-d25-k2-ban-dam-nhieu-nguoi").update(
        fine_min_individual=500_000, fine_max_individual=1_000_000, verified=True, source="x"
    )
    ViolationType.objects.filter(code="nd144-d27-chua-bao-ke").update(
        name="Chứa mại dâm, bảo kê hoặc lợi dụng kinh doanh dịch vụ"
    )
    ViolationType.objects.filter(code__startswith="nd144-d26-k").delete()
    migration = importlib.import_module("pcmd.enforcement.migrations.0004_correct_violation_types")
    migration.correct(django_apps, None)
    assert ranges("nd144-d25-k2-ban-dam-nhieu-nguoi")[1:3] == (1_000_000, 2_000_000)
    assert not vtype("nd144-d25-k2-ban-dam-nhieu-nguoi").verified
    assert "bảo kê" not in vtype("nd144-d27-chua-bao-ke").name
    assert ViolationType.objects.filter(code__startswith="nd144-d26-k").count() == 3
    assert catalog.apply(ViolationType) == len(catalog.read()["types"])  # idempotent


def test_statutory_maxima_per_decree() -> None:
    maxima = catalog.legal_maxima()
    assert maxima["Nghị định 144/2021/NĐ-CP"].individual == 75_000_000
    assert maxima["Nghị định 144/2021/NĐ-CP"].organisation == 150_000_000
    assert maxima["Nghị định 167/2013/NĐ-CP"].organisation == 80_000_000
    assert vtype("nd282-d32-k1-mua-dam").legal_maximum(SubjectKind.INDIVIDUAL) == 75_000_000


def test_catalog_in_force_on_a_date() -> None:
    def documents(on: datetime.date) -> set[str]:
        return set(ViolationType.objects.in_force_on(on).values_list("document", flat=True))

    assert documents(datetime.date(2018, 6, 1)) == {"Nghị định 167/2013/NĐ-CP"}
    assert documents(datetime.date(2021, 12, 31)) == {"Nghị định 167/2013/NĐ-CP"}
    assert documents(datetime.date(2022, 1, 1)) == {"Nghị định 144/2021/NĐ-CP"}
    assert documents(datetime.date(2025, 12, 14)) == {"Nghị định 144/2021/NĐ-CP"}
    assert documents(datetime.date(2025, 12, 15)) == {"Nghị định 282/2025/NĐ-CP"}
    ViolationType.objects.filter(code="nd167-d22-k1-mua-dam").update(is_active=False)
    assert not ViolationType.objects.in_force_on(datetime.date(2018, 6, 1)).filter(
        code="nd167-d22-k1-mua-dam"
    )
    during = ViolationType.objects.in_force_during(
        datetime.date(2021, 12, 1), datetime.date(2022, 1, 31)
    )
    assert {t.document for t in during} == {"Nghị định 167/2013/NĐ-CP", "Nghị định 144/2021/NĐ-CP"}


def test_fine_bounds_follow_the_catalog_in_force() -> None:
    # 2018 (Decree 167): selling sex from 100.000 đ; organisations up to 80.000.000 đ
    assert legal.fine_bounds(datetime.date(2018, 3, 1), datetime.date(2018, 3, 31)) == (
        100_000,
        80_000_000,
    )
    # 2023 (Decree 144): no longer 100 k – 40 M
    assert legal.fine_bounds(datetime.date(2023, 1, 1), datetime.date(2023, 12, 31)) == (
        300_000,
        100_000_000,
    )
    assert legal.fine_bounds(datetime.date(2010, 1, 1), datetime.date(2010, 12, 31)) is None


# --- the sanction check -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "ok"),
    [(700_000, False), (999_999, False), (1_000_000, True), (1_500_000, True), (2_000_001, False)],
)
def test_fine_in_the_corrected_range_of_decree_144(amount: int, ok: bool) -> None:
    v = violation_2023("nd144-d25-k2-ban-dam-nhieu-nguoi")
    if ok:
        assert fine(v, amount).amount == amount
        return
    with pytest.raises(ValidationError) as exc:
        fine(v, amount)
    assert list(exc.value.error_dict) == ["amount"]
    assert not Sanction.objects.exists()


def test_the_statutory_maximum_caps_an_edited_catalog_row() -> None:
    ViolationType.objects.filter(code="nd144-d26-k5-loi-dung-chuc-vu").update(
        fine_max_individual=120_000_000
    )
    v = violation_2023("nd144-d26-k5-loi-dung-chuc-vu")
    with pytest.raises(ValidationError) as exc:
        fine(v, 100_000_000)
    message = exc.value.error_dict["amount"][0]
    assert "75.000.000 đ" in str(message.message) % message.params
    assert fine(v, 75_000_000).amount == 75_000_000


def test_api_refuses_an_amount_outside_the_range_in_both_languages() -> None:
    v = violation_2023("nd144-d26-k2-che-giau-bao-ke", SubjectKind.ORGANISATION)
    client = APIClient()
    client.force_authenticate(User.objects.get(username="congan"))
    response = client.post(
        "/api/v1/sanctions",
        {
            "violation": v.pk,
            "number": "3/QĐ",
            "date": "2023-05-12",
            "authority": "Chủ tịch UBND",
            "form": "fine",
            "amount": 25_000_000,
        },
        format="json",
    )
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert list(error["fields"]) == ["amount"]
    for text in (error["message"], error["message_en"]):
        assert "10.000.000 đ" in text and "20.000.000 đ" in text, error
    assert "tổ chức" in error["message"] and "organisation" in error["message_en"]


def test_type_not_in_force_on_the_violation_date_is_refused_for_a_sanction() -> None:
    v = violation_2023("nd144-d24-k1-mua-dam")
    ViolationType.objects.filter(pk=v.violation_type_id).update(
        valid_from=datetime.date(2024, 1, 1)
    )
    v.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        fine(v, 1_500_000)
    assert "form" in exc.value.error_dict


def test_catalog_editor_refuses_a_maximum_above_the_law() -> None:
    admin = User.objects.get(username="admin")
    t = vtype("nd144-d26-k3-giup-suc-ep-buoc")
    with pytest.raises(ValidationError) as exc:
        actions.save_violation_type(
            t, actor=admin, expected_version=t.version, fine_max_organisation=200_000_000
        )
    assert list(exc.value.error_dict) == ["fine_max_organisation"]
    message = exc.value.error_dict["fine_max_organisation"][0]
    assert "150.000.000 đ" in str(message.message) % message.params


# --- the catalog page -------------------------------------------------------------------


def test_catalog_page_shows_each_source_and_a_badge(client_for) -> None:
    ViolationType.objects.filter(code="nd282-d32-k1-mua-dam").update(verified=True)
    page = client_for("congan").get("/enforcement/types/").content.decode()
    assert page.count('data-verified="yes"') == 1
    assert page.count('data-verified="no"') == ViolationType.objects.count() - 1
    assert "đã đối chiếu văn bản" in page and "chưa đối chiếu" in page
    assert "lawnet.vn" in page and "Chưa đối chiếu:" in page
    assert "75.000.000 đ" in page  # the statutory maxima


# --- Art. 7: deemed never sanctioned ------------------------------------------------------


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


@pytest.mark.parametrize(
    ("form", "executed", "first_day"),
    [
        # a warning: 6 months; the period ends on the corresponding day, free the day after
        (SanctionForm.WARNING, "2018-03-10", "2018-09-11"),
        # a fine: 1 year
        (SanctionForm.FINE, "2018-03-10", "2019-03-11"),
        # no corresponding day: the period ends on the month's last day
        (SanctionForm.WARNING, "2018-08-31", "2019-03-01"),
        (SanctionForm.FINE, "2020-02-29", "2021-03-01"),
        (SanctionForm.WARNING, "2019-12-31", "2020-07-01"),
    ],
)
def test_deemed_not_sanctioned_from(form: str, executed: str, first_day: str) -> None:
    result = legal.deemed_not_sanctioned_from(form, executed_on=day(executed))
    assert result == day(first_day)


def test_boundary_days_and_reoffence() -> None:
    executed = day("2018-03-10")
    first = legal.deemed_not_sanctioned_from(SanctionForm.FINE, executed_on=executed)
    assert first == day("2019-03-11")
    # re-offending on the period's last day still counts; the day after does not
    assert (
        legal.deemed_not_sanctioned_from(
            SanctionForm.FINE, executed_on=executed, reoffended_on=day("2019-03-10")
        )
        is None
    )
    assert legal.deemed_not_sanctioned_from(
        SanctionForm.FINE, executed_on=executed, reoffended_on=day("2019-03-11")
    ) == day("2019-03-11")
    assert legal.deemed_not_sanctioned_from(SanctionForm.FINE, executed_on=None) is None
    # never executed: one year from the end of the execution time limit (Art. 74(1))
    assert legal.execution_limit_expires(day("2018-03-10")) == day("2019-03-10")
    assert legal.deemed_not_sanctioned_from(
        SanctionForm.FINE, executed_on=None, execution_limit_expired_on=day("2019-03-10")
    ) == day("2020-03-11")


def test_deemed_not_sanctioned_from_a_recorded_decision() -> None:
    v = violation_2023("nd144-d25-k1-ban-dam")
    warning = actions.record_sanction(
        actor=None,
        violation=v,
        number="1/QĐ",
        date=day("2023-05-12"),
        authority="Chủ tịch UBND",
        form=SanctionForm.WARNING,
    )
    # pending: the latest possible day (execution limit + 6 months)
    assert legal.deemed_not_sanctioned_from_sanction(warning) == day("2024-11-13")
    actions.change_sanction_status(
        warning, actor=None, status=SanctionStatus.ENFORCED, on=day("2023-05-20")
    )
    assert legal.deemed_not_sanctioned_from_sanction(warning) == day("2023-11-21")
    paid = fine(violation_2023("nd144-d24-k1-mua-dam"), 1_200_000)
    actions.change_sanction_status(
        paid, actor=None, status=SanctionStatus.PAID, on=day("2023-06-01")
    )
    assert legal.deemed_not_sanctioned_from_sanction(paid) == day("2024-06-02")
    actions.change_sanction_status(
        paid, actor=None, status=SanctionStatus.CANCELLED, on=day("2023-07-01")
    )
    assert legal.deemed_not_sanctioned_from_sanction(paid) is None
