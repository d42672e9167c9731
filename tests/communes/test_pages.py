"""Pages: who reaches the list, the form and the review page; forms save through actions."""

import pytest

from pcmd.communes.models import Assessment
from tests.conftest import assert_reach

from .builders import EA_SO, TAN_LAP, YEAR, assessment, commune, full_points, template

pytestmark = pytest.mark.django_db

VIEWERS = ["admin", "thuongtruc", "lanhdao", "huyen.bmt", "ctxh.bmt", "xa.tanlap", "xa.easo"]


def test_list_reach_matrix(client_for) -> None:
    template()
    assert_reach(client_for, f"/communes/?year={YEAR}", VIEWERS)
    assert_reach(client_for, "/communes/templates/", VIEWERS + [])


def test_list_is_scoped(client_for, persona) -> None:
    assessment(persona("xa.tanlap"), status="submitted")
    assessment(persona("xa.easo"), code=EA_SO, status="confirmed", reviewer=persona("admin"))
    page = client_for("xa.easo").get(f"/communes/?year={YEAR}").content.decode()
    assert 'data-code="24379"' in page and 'data-code="24118"' not in page
    page = client_for("huyen.bmt").get(f"/communes/?year={YEAR}").content.decode()
    assert 'data-code="24118"' in page and 'data-code="24379"' not in page
    body = client_for("thuongtruc").get(f"/communes/?year={YEAR}&status=confirmed")
    assert body.context["summary"]["healthy"] == 1
    assert body.context["summary"]["healthy_pending"] == 1
    assert body.context["target"].value == 174 and body.context["key_max"] == 0
    assert [r["unit"].code for r in body.context["rows"]] == [EA_SO]
    # a district sees its communes, not the province's target
    assert client_for("huyen.bmt").get(f"/communes/?year={YEAR}").context["target"] is None


def test_list_query_count_is_bounded(client_for, persona, django_assert_max_num_queries) -> None:
    from pcmd.communes import actions
    from pcmd.geo.models import Unit

    admin = persona("admin")
    bmt = Unit.objects.get(code="643", valid_from=None)
    for u in Unit.objects.filter(parent=bmt, level=3, valid_from=None)[:15]:
        actions.save_assessment(u, YEAR, actor=admin, points=full_points())
    client = client_for("thuongtruc")
    client.get(f"/communes/?year={YEAR}")
    with django_assert_max_num_queries(16):
        response = client.get(f"/communes/?year={YEAR}")
    assert len(response.context["rows"]) == 50
    with django_assert_max_num_queries(16):
        client.get(f"/communes/?year={YEAR}&page=2&status=draft")


def test_assessment_page_reach(client_for) -> None:
    template()
    url = f"/communes/{commune(TAN_LAP).pk}/{YEAR}/"
    assert_reach(
        client_for, url, ["admin", "thuongtruc", "lanhdao", "huyen.bmt", "ctxh.bmt", "xa.tanlap"]
    )


def _form(points: dict[str, int | str], version: object = "", **extra: str) -> dict:
    data = {f"c_{k}": v for k, v in points.items()}
    data.update({"version": version, "comment": "", **extra})
    return data


def test_commune_fills_and_submits_through_the_form(client_for) -> None:
    url = f"/communes/{commune(TAN_LAP).pk}/{YEAR}/"
    client = client_for("xa.tanlap")
    assert 'id="assessment-form"' in client.get(url).content.decode()
    response = client.post(url, _form(full_points(E1=4), submit="1"))
    assert response.status_code == 302
    a = Assessment.objects.get(commune__code=TAN_LAP, year=YEAR)
    assert a.status == "submitted" and a.total == 99 and a.result_class.kind == "healthy"
    # once submitted, no form and no more writes
    assert 'id="assessment-form"' not in client.get(url).content.decode()
    assert client.post(url, _form(full_points(), version=a.version)).status_code == 403


def test_bad_points_are_shown_on_the_field(client_for) -> None:
    url = f"/communes/{commune(TAN_LAP).pk}/{YEAR}/"
    response = client_for("xa.tanlap").post(url, _form(full_points(A1=9)))
    assert response.status_code == 400
    assert response.context["form"].errors["c_A1"]
    assert not Assessment.objects.exists()


def test_stale_form_is_refused_with_the_bilingual_message(client_for, persona) -> None:
    a = assessment(persona("xa.tanlap"))
    url = f"/communes/{a.commune_id}/{YEAR}/"
    stale = a.version
    client = client_for("xa.tanlap")
    assert client.post(url, _form(full_points(E1=1), version=stale)).status_code == 302
    response = client.post(url, _form(full_points(E1=2), version=stale))
    assert response.status_code == 400
    text = response.content.decode()
    assert "Someone else saved this record" in text or "người khác" in text.lower()
    assert Assessment.objects.get(pk=a.pk).total == 96


def test_other_roles_cannot_post_the_form(client_for) -> None:
    template()
    url = f"/communes/{commune(TAN_LAP).pk}/{YEAR}/"
    for name in ["huyen.bmt", "thuongtruc", "lanhdao"]:
        assert client_for(name).post(url, _form(full_points())).status_code == 403
    assert client_for("xa.easo").post(url, _form(full_points())).status_code == 404
    assert not Assessment.objects.exists()


def test_review_page(client_for, persona) -> None:
    a = assessment(persona("xa.tanlap"), status="submitted")
    url = f"/communes/assessments/{a.pk}/review/"
    assert_reach(client_for, url, ["admin", "thuongtruc", "huyen.bmt"])
    district = client_for("huyen.bmt")
    response = district.post(url, {"version": a.version, "comment": "", "decision": "return"})
    assert response.status_code == 400 and response.context["form"].errors["comment"]
    response = district.post(url, {"version": a.version, "comment": "", "decision": "confirm"})
    assert response.status_code == 302
    assert Assessment.objects.get(pk=a.pk).status == "confirmed"


def test_import_page_and_template_reach(client_for) -> None:
    template()
    assert_reach(client_for, "/communes/import/", ["admin", "xa.tanlap", "xa.easo"])
    response = client_for("xa.tanlap").get(f"/communes/import/template.xlsx?year={YEAR}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxml")


def test_template_pages(client_for, persona) -> None:
    t = template()
    assert_reach(client_for, f"/communes/templates/{t.pk}/", VIEWERS)
    assert_reach(client_for, f"/communes/templates/{t.pk}/edit/", ["admin"])
    page = client_for("admin").get(f"/communes/templates/{t.pk}/").content.decode()
    assert "01/2008/NQLT" in page and 'id="unverified"' in page
    response = client_for("admin").post(
        f"/communes/templates/{t.pk}/classes/new/",
        {
            "code": "moi",
            "name": "Loại mới",
            "kind": "intermediate",
            "order": 9,
            "match": "all",
            "min_total": 10,
            "max_total": 5,
        },
    )
    assert response.status_code == 200 and response.context["form"].errors["max_total"]
    response = client_for("admin").post(
        f"/communes/templates/{t.pk}/classes/new/",
        {"code": "moi", "name": "Loại mới", "kind": "intermediate", "order": 9, "match": "all"},
    )
    assert response.status_code == 302 and t.classes.filter(code="moi").exists()
    assert (
        client_for("thuongtruc")
        .post(
            f"/communes/templates/{t.pk}/classes/new/",
            {"code": "x", "name": "x", "kind": "key", "order": 1, "match": "all"},
        )
        .status_code
        == 403
    )
