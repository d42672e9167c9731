"""The plan's two outreach figures on hand-built cases: commune coverage (T1) and the share
of rostered commune officers trained in the year (T5)."""

import datetime

import pytest

from pcmd.accounts import actions as account_actions
from pcmd.accounts.permissions import scope_unit_ids
from pcmd.outreach.stats import commune_coverage, trained_share

from .builders import BMT, EA_KAR, TAN_LAP, activity, attend, officer, training, unit

pytestmark = pytest.mark.django_db

THREE = ["24118", "24121", "24124"]  # Tân Lập, Tân Hòa, Tân An (TP Buôn Ma Thuột)


@pytest.fixture
def three_communes_officer():
    user = account_actions.create_user(
        actor=None, username="ba.xa", password="x" * 12, check_password=False
    )
    for code in THREE:
        account_actions.add_assignment(user, actor=None, role="commune_officer", unit=unit(code))
    return user


def test_two_of_three_communes_covered(three_communes_officer, django_assert_num_queries) -> None:
    activity("24118")
    activity("24118", title="Lần thứ hai")  # a second one does not count twice
    activity("24121")
    # These do not make 24124 covered:
    activity("24124", day=datetime.date(2017, 12, 31))  # another year
    activity("24124", is_deleted=True)  # deleted
    activity("643", agency_code="UBND_H643")  # district-level
    activity("24379")  # outside the scope
    user = three_communes_officer
    user.active_assignments  # noqa: B018 - load the scope before counting queries
    with django_assert_num_queries(1):
        coverage = commune_coverage(user, 2018)
    assert (coverage.covered, coverage.total) == (2, 3)
    assert str(coverage.share) == "66.7"
    assert [u.code for u in coverage.missing] == ["24124"]
    assert [(d.code, d.total, d.done) for d in coverage.districts] == [("643", 3, 2)]


def test_coverage_for_the_province_and_a_district(persona) -> None:
    activity("24118")
    activity("24379")
    province = commune_coverage(persona("thuongtruc"), 2018)
    assert (province.covered, province.total) == (2, 184)
    district = commune_coverage(persona("thuongtruc"), 2018, district=unit("651"))
    assert (district.covered, district.total) == (1, 16)  # Ea Kar: 16 communes in 2018
    assert all(u.parent.code == "651" for u in district.missing)
    commune = commune_coverage(persona("xa.easo"), 2018)
    assert (commune.covered, commune.total) == (1, 1)


def test_coverage_uses_the_map_of_the_year(persona) -> None:
    # 24127 Phường Thống Nhất ended on 31/10/2024: not counted in 2024, counted in 2018.
    on_2018 = commune_coverage(persona("huyen.bmt"), 2018)
    on_2024 = commune_coverage(persona("huyen.bmt"), 2024)
    assert "24127" in {u.code for u in on_2018.missing}
    assert "24127" not in {u.code for u in on_2024.missing}
    assert (on_2018.total, on_2024.total) == (21, 19)  # Thống Nhất and Thành Công merged


def test_trained_share_on_a_hand_built_roster(
    three_communes_officer, django_assert_num_queries
) -> None:
    course = training(start=datetime.date(2018, 5, 15))
    old_course = training(start=datetime.date(2017, 6, 1), title="Khóa 2017")
    a = officer("24118", "Nguyễn Thị Hoa")
    b = officer("24121", "Trần Văn Nam")
    c = officer("24124", "Lê Thị Mai")
    officer("24124", "Phạm Văn Hùng", valid_to=datetime.date(2017, 12, 31))  # left in 2017
    officer("24121", "Y Bhim Niê", is_social_evils_officer=False)  # not counted
    gone = officer("24118", "Hồ Thị Lan")
    gone.is_deleted = True
    gone.save()
    officer("24379", "Võ Văn Sơn")  # outside scope
    attend(course, a)
    attend(course, b)
    attend(old_course, c)  # trained, but not in 2018
    user = three_communes_officer
    user.active_assignments  # noqa: B018
    scope_unit_ids(user)  # read once per request (pcmd.geo.subtree), kept on the user
    with django_assert_num_queries(1):
        share = trained_share(user, 2018)
    assert (share.trained, share.total) == (2, 3)
    assert str(share.share) == "66.7"
    assert (trained_share(user, 2017).trained, trained_share(user, 2017).total) == (1, 4)


def test_trained_share_ignores_deleted_courses(persona) -> None:
    course = training(start=datetime.date(2018, 9, 1), is_deleted=True)
    attend(course, officer(TAN_LAP))
    share = trained_share(persona("xa.tanlap"), 2018)
    assert (share.trained, share.total) == (0, 1)
    assert share.share == 0


def test_share_is_none_without_a_roster(persona) -> None:
    assert trained_share(persona("xa.easo"), 2018).share is None
    assert commune_coverage(persona("xa.easo"), 2018).share == 0


def test_trained_officers_by_territory_count_the_periods_courses(persona) -> None:
    """The register behind T5 counted by the engine for a province by district, a district
    by commune, the nation and by month equals the participants counted by hand: a deleted
    course, a course of another year and a deleted officer left out. On PostgreSQL a
    territory asks each participant's course per row (Source.period_per_row) instead of
    joining the courses; the nation and months join them."""
    from collections import Counter

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pcmd.core.periods import parse_period
    from pcmd.indicators.engine import evaluate
    from pcmd.indicators.models import Indicator, IndicatorKind
    from pcmd.outreach.models import TrainingParticipant

    course = training(start=datetime.date(2018, 5, 15))
    autumn = training(start=datetime.date(2018, 10, 2), title="Khóa mùa thu")
    deleted = training(start=datetime.date(2018, 7, 1), is_deleted=True)
    old = training(start=datetime.date(2017, 6, 1), title="Khóa 2017")
    gone = officer("24121", "Hồ Thị Lan")
    for person in (officer("24118"), officer("24121", "Trần Văn Nam"), officer("24379"), gone):
        for each in (course, deleted, old):
            attend(each, person)
    attend(autumn, officer("24124", "Lê Thị Mai"))
    gone.is_deleted = True
    gone.save()
    year = parse_period("2018")
    counted = TrainingParticipant.objects.filter(
        officer__is_deleted=False,
        training__is_deleted=False,
        training__start_date__range=(year.start, year.end),
    ).select_related("officer__commune")
    indicator = Indicator(code="trained_check", source="trained_officers", kind=IndicatorKind.COUNT)

    def by_hand(root_code: str | None, level: int) -> Counter[int]:
        sums: Counter[int] = Counter()
        for row in counted:
            ids = [int(p) for p in row.officer.commune.path.strip("/").split("/")]
            if root_code is None or unit(root_code).pk in ids:
                sums[ids[level - 1]] += 1
        return sums

    for root_code, level, by in (("66", 2, "unit"), ("643", 3, "commune"), (None, 1, "unit")):
        root = unit(root_code) if root_code else None
        with CaptureQueriesContext(connection) as queries:
            result = evaluate(indicator, root, year, by=by)
        assert {k: v for k, v in result.values.items() if v} == by_hand(root_code, level)
        asked = " ".join(q["sql"] for q in queries if "outreach_trainingparticipant" in q["sql"])
        per_row = root is not None and connection.vendor == "postgresql"
        assert ('"outreach_training" U0' in asked and "OFFSET 0" in asked) == per_row, asked
        assert ('JOIN "outreach_training"' in asked) == (not per_row), asked
    assert by_hand("643", 3)[unit("24118").pk] == 1 and by_hand("66", 2)[unit(EA_KAR).pk] == 1
    months = evaluate(indicator, unit("66"), year, by="month")
    assert {k.month: v for k, v in months.values.items() if v} == {5: 3, 10: 1}
    # The officers trained (T5 counts each officer once), and a filter on the course itself
    # (it joins the course again, beside the per-row question: the same answer).
    officer_a = officer("24118", "Đinh Văn Tú")
    attend(course, officer_a)
    attend(autumn, officer_a)
    province = unit("66")
    twice = Indicator(code="trained_twice", source="trained_officers", kind=IndicatorKind.DISTINCT)
    twice.measure = "officer"
    distinct = evaluate(twice, province, year, by="unit")
    counted_again = evaluate(indicator, province, year, by="unit")
    district = unit(BMT).pk
    assert counted_again.values[district] == distinct.values[district] + 1
    assert distinct.total == len(
        {
            row.officer_id
            for row in counted.all()  # read again: two attendances added since
            if unit("66").pk in [int(p) for p in row.officer.commune.path.strip("/").split("/")]
        }
    )
    autumn_only = Indicator(
        code="trained_autumn",
        source="trained_officers",
        kind=IndicatorKind.COUNT,
        filters={"training__title": "Khóa mùa thu"},
    )
    assert evaluate(autumn_only, province, year).total == 2  # Lê Thị Mai, Đinh Văn Tú
