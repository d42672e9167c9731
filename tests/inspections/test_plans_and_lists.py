"""Teams, plans and progress; list filters; bounded queries on the list pages."""

import datetime

import pytest

from pcmd.core.models import AuditEvent
from pcmd.inspections import actions
from pcmd.inspections.models import InspectionPlan, Team

from . import builders as b

pytestmark = pytest.mark.django_db


def test_plan_progress_counts_distinct_establishments_in_the_period(client_for) -> None:
    team = b.team(b.province())
    listed = [b.establishment(b.TAN_LAP) for _ in range(4)]
    plan = actions.create_plan(
        actor=None,
        team=team,
        title="Kế hoạch 2018",
        period_start=datetime.date(2018, 1, 1),
        period_end=datetime.date(2018, 12, 31),
        target_count=3,
        target_max=5,
        establishments=listed,
    )
    b.inspection(team, listed[0], on=datetime.date(2018, 3, 1))
    b.inspection(team, listed[0], on=datetime.date(2018, 9, 1))  # same place twice
    b.inspection(team, listed[1], on=datetime.date(2018, 4, 1))
    b.inspection(team, b.establishment(b.EA_SO), on=datetime.date(2018, 5, 1))  # off the list
    b.inspection(team, listed[2], on=datetime.date(2019, 1, 2))  # after the period
    other_team = b.team(b.BMT)
    b.inspection(other_team, listed[3], on=datetime.date(2018, 5, 1))  # another team
    response = client_for("doi178").get(f"/inspections/plans/{plan.pk}/")
    shown = response.context["plan"]
    assert (shown.inspected, shown.planned, shown.percent) == (3, 4, 100)
    visits = {e.pk: e.visits for e in response.context["page"]}
    assert visits == {listed[0].pk: 2, listed[1].pk: 1, listed[2].pk: 0, listed[3].pk: 0}
    from pcmd.inspections.views_teams import with_progress

    annotated = with_progress(InspectionPlan.objects.filter(pk=plan.pk)).get()
    assert (annotated.inspected, annotated.planned) == (3, 4)
    # The inspection is linked to the plan that covers its date.
    assert team.inspections.filter(plan=plan).count() == 4


def test_plan_establishments_must_lie_in_the_team_area(client_for) -> None:
    team = b.team(b.BMT)
    inside = b.establishment(b.TAN_LAP)
    outside = b.establishment(b.EA_SO, name="Nhà nghỉ Ngoài Vùng")
    with pytest.raises(Exception) as exc:
        actions.create_plan(
            actor=None,
            team=team,
            title="x",
            period_start=datetime.date(2018, 1, 1),
            period_end=datetime.date(2018, 12, 31),
            target_count=1,
            establishments=[inside, outside],
        )
    assert "Nhà nghỉ Ngoài Vùng" in str(exc.value)


def test_plan_form_and_version_conflict(client_for) -> None:
    team = b.team(b.BMT)
    est = b.establishment(b.TAN_LAP)
    client = client_for("huyen.bmt")
    response = client.post(
        f"/inspections/teams/{team.pk}/plans/new/",
        {
            "title": "Kế hoạch huyện",
            "period_start": "01/01/2018",
            "period_end": "31/12/2018",
            "target_count": 30,
            "target_max": 20,
            "establishments": [est.pk],
        },
    )
    assert response.status_code == 400
    assert "target_max" in response.context["form"].errors
    response = client.post(
        f"/inspections/teams/{team.pk}/plans/new/",
        {
            "title": "Kế hoạch huyện",
            "period_start": "01/01/2018",
            "period_end": "31/12/2018",
            "target_count": 30,
            "establishments": [est.pk],
        },
    )
    assert response.status_code == 302
    plan = InspectionPlan.objects.get(title="Kế hoạch huyện")
    assert list(plan.establishments.all()) == [est]
    edit = {
        "version": 1,
        "title": "Sửa 1",
        "period_start": "01/01/2018",
        "period_end": "31/12/2018",
        "target_count": 25,
        "establishments": [est.pk],
    }
    assert client.post(f"/inspections/plans/{plan.pk}/edit/", edit).status_code == 302
    edit["title"] = "Sửa đè"
    assert client.post(f"/inspections/plans/{plan.pk}/edit/", edit).status_code == 409
    plan.refresh_from_db()
    assert (plan.title, plan.target_count, plan.version) == ("Sửa 1", 25, 2)
    # The provincial team's plans are not the district officer's to edit.
    prov = b.team(b.province())
    assert client.get(f"/inspections/teams/{prov.pk}/plans/new/").status_code == 404


def test_team_members_add_and_leave(client_for) -> None:
    team = b.team(b.BMT, members=0)
    client = client_for("huyen.bmt")
    from pcmd.agencies.models import Agency

    police = Agency.objects.get(code="CA_H643")
    response = client.post(
        f"/inspections/teams/{team.pk}/members/",
        {
            "person_name": "Trần Văn Bình",
            "position": "Phó Đội trưởng",
            "role_in_team": "Đội phó",
            "agency": police.pk,
        },
    )
    assert response.status_code == 302
    member = team.members.get()
    assert (member.person_name, member.agency) == ("Trần Văn Bình", police)
    assert client.post(f"/inspections/teams/{team.pk}/members/{member.pk}/end/").status_code == 302
    member.refresh_from_db()
    assert member.active_to is not None
    assert AuditEvent.objects.filter(verb="team.end_member", object_id=str(team.pk)).exists()


def test_team_create_in_scope_only(client_for) -> None:
    from pcmd.agencies.models import Agency

    client = client_for("huyen.bmt")
    ea_kar = b.unit(b.EA_KAR)
    response = client.post(
        "/inspections/teams/new/",
        {
            "name": "Đội lạ",
            "unit": ea_kar.pk,
            "lead_agency": Agency.objects.get(code="LDTBXH_H651").pk,
        },
    )
    assert response.status_code == 400
    assert not Team.objects.filter(name="Đội lạ").exists()
    bmt = b.unit(b.BMT)
    response = client.post(
        "/inspections/teams/new/",
        {
            "name": "Đội 178 TP",
            "unit": bmt.pk,
            "lead_agency": Agency.objects.get(code="LDTBXH_H643").pk,
            "active_from": "01/01/2018",
        },
    )
    assert response.status_code == 302
    team = Team.objects.get(name="Đội 178 TP")
    assert (team.level, team.unit) == (2, bmt)


def test_list_filters(client_for) -> None:
    prov = b.team(b.province())
    bmt = b.team(b.BMT)
    b.inspection(prov, b.establishment(b.TAN_LAP, name="Một"), on=datetime.date(2018, 2, 1))
    b.inspection(
        bmt,
        b.establishment(b.TAN_LAP, name="Hai"),
        on=datetime.date(2018, 5, 1),
        result="violation",
    )
    b.inspection(prov, b.establishment(b.EA_SO, name="Ba"), on=datetime.date(2018, 8, 1))
    client = client_for("doi178")

    def names(query: str) -> set[str]:
        page = client.get("/inspections/?" + query).context["page"]
        return {i.establishment.name for i in page}

    assert names(f"team={bmt.pk}") == {"Hai"}
    assert names(f"district={b.unit(b.EA_KAR).pk}") == {"Ba"}
    assert names(f"commune={b.unit(b.TAN_LAP).pk}") == {"Một", "Hai"}
    assert names("date_from=01/03/2018&date_to=31/07/2018") == {"Hai"}
    assert names("result=violation") == {"Hai"}


@pytest.mark.parametrize(
    "url", ["/inspections/", "/inspections/teams/", "/inspections/tips/", "/enforcement/"]
)
def test_list_pages_run_a_bounded_number_of_queries(
    client_for, url, django_assert_max_num_queries
) -> None:
    team = b.team(b.province())
    from pcmd.enforcement import actions as enforcement
    from pcmd.enforcement.models import ViolationType

    vtype = ViolationType.objects.get(code="nd167-d22-k1-mua-dam")
    client = client_for("doi178")

    def add(n: int) -> None:
        for i in range(n):
            est = b.establishment(b.TAN_LAP if i % 2 else b.EA_SO)
            inspection = b.inspection(team, est, result="violation")
            violation = enforcement.record_violation(
                actor=None,
                inspection=inspection,
                date=inspection.date,
                violation_type=vtype,
                subject_kind="individual",
            )
            enforcement.record_sanction(
                actor=None,
                violation=violation,
                number=f"{i}/QĐ",
                date=inspection.date,
                authority="Chủ tịch UBND",
                form="fine",
                amount=500_000,
            )
            actions.record_tip(
                actor=None,
                establishment=est,
                received_on=datetime.date(2018, 1, 1),
                source_kind="hotline",
            )
            b.team(b.BMT, members=2)

    add(2)
    with django_assert_max_num_queries(20) as few:
        assert client.get(url).status_code == 200
    add(25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_record_a_tip_counts_only(client_for) -> None:
    est = b.establishment(b.TAN_LAP, name="Massage Tin Báo")
    foreign = b.establishment(b.EA_SO)
    client = client_for("xa.tanlap")
    response = client.post(
        "/inspections/tips/new/",
        {
            "establishment": est.pk,
            "received_on": "02/02/2018",
            "source_kind": "hotline",
            "note": "Nghi có hoạt động mua bán dâm",
        },
    )
    assert response.status_code == 302
    from pcmd.inspections.models import Tip

    tip = Tip.objects.get()
    assert (tip.commune.code, tip.received_on, tip.recorded_by.username) == (
        b.TAN_LAP,
        datetime.date(2018, 2, 2),
        "xa.tanlap",
    )
    assert not {f.name for f in Tip._meta.fields} & {"informant", "reporter", "phone"}
    response = client.post(
        "/inspections/tips/new/",
        {"establishment": foreign.pk, "received_on": "02/02/2018", "source_kind": "hotline"},
    )
    assert response.status_code == 400 and Tip.objects.count() == 1
    assert "Massage Tin Báo" in client.get("/inspections/tips/").content.decode()
    assert "Massage Tin Báo" not in client_for("xa.easo").get("/inspections/tips/").content.decode()


def test_commune_officer_filters_have_no_district(client_for) -> None:
    form = client_for("xa.tanlap").get("/inspections/").context["form"]
    assert "district" not in form.fields and "commune" not in form.fields
    form = client_for("huyen.bmt").get("/inspections/").context["form"]
    assert "commune" in form.fields
