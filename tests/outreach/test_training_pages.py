"""Training courses, participants and the roster: pages, scope, writes."""

import datetime

import pytest

from pcmd.core.models import AuditEvent
from pcmd.outreach.models import Officer, Training, TrainingParticipant
from tests.conftest import assert_reach, sign_in

from .builders import (
    EA_SO,
    EDITORS,
    PROVINCE_ROLES,
    TAN_LAP,
    VIEWERS,
    agency,
    attend,
    officer,
    training,
    unit,
)

pytestmark = pytest.mark.django_db


def training_data(**overrides):
    data = {
        "title": "Tập huấn cán bộ phường",
        "topic": "Kỹ năng tư vấn",
        "level": "district",
        "agency": agency("LDTBXH_H643").pk,
        "start_date": "12/09/2018",
        "end_date": "13/09/2018",
        "unit": unit("643").pk,
        "venue": "Hội trường UBND",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_pages_by_role(client_for) -> None:
    assert_reach(client_for, "/outreach/trainings/", VIEWERS)
    assert_reach(client_for, "/outreach/trainings/new/", EDITORS)
    assert_reach(client_for, "/outreach/officers/", VIEWERS)
    assert_reach(client_for, "/outreach/officers/new/", EDITORS)
    assert_reach(client_for, "/outreach/officers/import/", EDITORS)


def test_course_is_seen_where_held_and_by_attendees_units(client_for) -> None:
    district_course = training("643", level="district", agency_code="LDTBXH_H643")
    assert_reach(
        client_for,
        f"/outreach/trainings/{district_course.pk}/",
        [*PROVINCE_ROLES, "huyen.bmt", "ctxh.bmt"],
    )
    provincial = training()
    attend(provincial, officer(EA_SO, "Võ Văn Sơn"))
    attend(provincial, officer(TAN_LAP, "Nguyễn Thị Hoa"))
    # A provincial course is seen by the communes whose officers attended it…
    response = client_for("xa.easo").get(f"/outreach/trainings/{provincial.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    # …but only their own people are listed.
    assert "Võ Văn Sơn" in html and "Nguyễn Thị Hoa" not in html
    assert (
        client_for("thuongtruc")
        .get(f"/outreach/trainings/{provincial.pk}/")
        .content.decode()
        .count("<td>Nguyễn Thị Hoa</td>")
        == 1
    )
    # …and cannot edit it.
    assert (
        client_for("xa.easo").get(f"/outreach/trainings/{provincial.pk}/edit/").status_code == 404
    )


def test_district_officer_records_a_course_and_adds_participants(client_for) -> None:
    client = client_for("huyen.bmt")
    response = client.post("/outreach/trainings/new/", training_data())
    assert response.status_code == 302, response.content.decode()[:3000]
    course = Training.objects.get(title="Tập huấn cán bộ phường")
    person = officer(TAN_LAP)
    url = f"/outreach/trainings/{course.pk}/participants/"
    assert client.post(url, {"officer": person.pk}).status_code == 302
    assert (
        client.post(
            url, {"full_name": "Trần Văn Bình", "position": "Chuyên viên", "unit": unit("643").pk}
        ).status_code
        == 302
    )
    rows = {p.full_name: p for p in course.participants.all()}
    assert rows["Nguyễn Thị Hoa"].officer == person
    assert rows["Trần Văn Bình"].officer is None and rows["Trần Văn Bình"].unit.code == "643"
    # the same officer twice is refused
    assert client.post(url, {"officer": person.pk}).status_code == 400
    assert course.participants.count() == 2
    verbs = list(AuditEvent.objects.filter(object_id=str(course.pk)).values_list("verb", flat=True))
    assert verbs.count("outreach.participant.add") == 2 and "outreach.training.create" in verbs


def test_course_level_must_match_the_unit(client_for) -> None:
    response = client_for("huyen.bmt").post(
        "/outreach/trainings/new/", training_data(level="province")
    )
    assert response.status_code == 400
    response = client_for("huyen.bmt").post(
        "/outreach/trainings/new/", training_data(end_date="01/09/2018")
    )
    assert response.status_code == 400
    assert not Training.objects.exists()


def test_commune_officer_cannot_add_participants_to_a_provincial_course(client_for) -> None:
    course = training()
    person = officer(TAN_LAP)
    response = client_for("xa.tanlap").post(
        f"/outreach/trainings/{course.pk}/participants/", {"officer": person.pk}
    )
    assert response.status_code == 404
    assert not course.participants.exists()


def test_participant_outside_scope_is_refused(client_for) -> None:
    course = training("643", level="district", agency_code="LDTBXH_H643")
    response = client_for("huyen.bmt").post(
        f"/outreach/trainings/{course.pk}/participants/", {"officer": officer(EA_SO).pk}
    )
    assert response.status_code == 400
    assert not course.participants.exists()


def test_remove_participant(client_for) -> None:
    course = training("643", level="district", agency_code="LDTBXH_H643")
    row = attend(course, officer(TAN_LAP))
    assert client_for("xa.easo").post(f"/outreach/participants/{row.pk}/remove/").status_code == 404
    assert (
        client_for("huyen.bmt").post(f"/outreach/participants/{row.pk}/remove/").status_code == 302
    )
    assert not TrainingParticipant.objects.filter(pk=row.pk).exists()
    assert AuditEvent.objects.filter(verb="outreach.participant.remove").exists()


def test_edit_course_with_version_conflict(client_for) -> None:
    course = training(
        "643", level="district", agency_code="LDTBXH_H643", start=datetime.date(2018, 9, 12)
    )
    client = client_for("huyen.bmt")
    stale = course.version
    ok = client.post(
        f"/outreach/trainings/{course.pk}/edit/", training_data(title="Tên mới", version=stale)
    )
    assert ok.status_code == 302
    conflict = client.post(
        f"/outreach/trainings/{course.pk}/edit/", training_data(title="Tên khác", version=stale)
    )
    assert conflict.status_code == 400
    assert "Someone else saved" in conflict.content.decode()
    course.refresh_from_db()
    assert (course.title, course.version) == ("Tên mới", 2)


def test_training_page_shows_the_trained_share(client_for) -> None:
    course = training(start=datetime.date(2018, 5, 15))
    attend(course, officer(TAN_LAP, "Nguyễn Thị Hoa"))
    officer(TAN_LAP, "Trần Văn Nam")
    html = client_for("xa.tanlap").get("/outreach/trainings/?year=2018").content.decode()
    assert '<strong id="trained-figure">1/2</strong>' in html
    assert "(50,0%)" in html


def test_roster_add_edit_and_filter(client_for) -> None:
    client = client_for("xa.tanlap")
    response = client.post(
        "/outreach/officers/new/",
        {
            "full_name": "Lê Thị Mai",
            "position": "Công chức Văn hóa - Xã hội",
            "commune": unit(TAN_LAP).pk,
            "valid_from": "01/01/2016",
            "valid_to": "",
            "is_social_evils_officer": "on",
            "notes": "",
        },
    )
    assert response.status_code == 302
    person = Officer.objects.get(full_name="Lê Thị Mai")
    assert person.is_social_evils_officer and person.commune.code == TAN_LAP
    response = client.post(
        f"/outreach/officers/{person.pk}/",
        {
            "full_name": "Lê Thị Mai",
            "position": "Phó Chủ tịch UBND phường",
            "commune": unit(TAN_LAP).pk,
            "valid_from": "01/01/2016",
            "valid_to": "",
            "is_social_evils_officer": "on",
            "notes": "",
            "version": person.version,
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.position, person.version) == ("Phó Chủ tịch UBND phường", 2)
    course = training(start=datetime.date(2018, 5, 15))
    officer(TAN_LAP, "Trần Văn Nam")
    attend(course, person)
    html = client.get("/outreach/officers/?year=2018&trained=no").content.decode()
    assert "Trần Văn Nam" in html and "Lê Thị Mai" not in html
    html = client.get("/outreach/officers/?year=2018&trained=yes").content.decode()
    assert "Lê Thị Mai" in html and "Trần Văn Nam" not in html


def test_roster_refuses_other_communes_and_district_units(client_for) -> None:
    client = client_for("xa.tanlap")
    base = {
        "full_name": "X",
        "position": "Y",
        "valid_from": "",
        "valid_to": "",
        "is_social_evils_officer": "on",
        "notes": "",
    }
    assert (
        client.post("/outreach/officers/new/", {**base, "commune": unit(EA_SO).pk}).status_code
        == 400
    )
    assert (
        client_for("huyen.bmt")
        .post("/outreach/officers/new/", {**base, "commune": unit("643").pk})
        .status_code
        == 400
    )
    assert not Officer.objects.exists()
    other = officer(EA_SO)
    assert client.get(f"/outreach/officers/{other.pk}/").status_code == 404


@pytest.mark.parametrize("n", [2, 30])
def test_roster_and_training_lists_are_bounded(
    client_for, django_assert_max_num_queries, n
) -> None:
    course = training()
    for i in range(n):
        person = officer(["24118", "24121", "24379"][i % 3], f"Cán bộ {i}")
        if i % 2:
            attend(course, person)
        training(title=f"Khóa {i}", start=datetime.date(2018, 1 + i % 12, 1))
    client = client_for("thuongtruc")
    with django_assert_max_num_queries(12):
        assert client.get("/outreach/officers/?year=2018").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/outreach/trainings/?year=2018").status_code == 200


def test_superuser_sees_every_course(client) -> None:
    from pcmd.accounts.models import User

    root = User.objects.create_superuser("root", password="x" * 12)
    course = training("643", level="district", agency_code="LDTBXH_H643")
    sign_in(client, root)  # a superuser needs the second factor too
    assert client.get(f"/outreach/trainings/{course.pk}/").status_code == 200
    assert Training.objects.visible_to(root).count() == 1
