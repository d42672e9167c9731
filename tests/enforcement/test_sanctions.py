"""Violations and sanction decisions: the fine-range rule, warnings, types in force on the
date, enforcement status over time, the catalog as data."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from pcmd.core.models import AuditEvent
from pcmd.enforcement import actions
from pcmd.enforcement.models import Sanction, Violation, ViolationType
from tests.inspections import builders as b

pytestmark = pytest.mark.django_db

D = datetime.date(2018, 6, 1)


def vtype(code: str) -> ViolationType:
    return ViolationType.objects.get(code=code)


def violation(
    code: str = "nd167-d25-chua-moi-gioi", subject: str = "organisation", commune: str = b.TAN_LAP
) -> Violation:
    est = b.establishment(commune)
    return actions.record_violation(
        actor=None,
        violation_type=vtype(code),
        date=D,
        establishment=est,
        subject_kind=subject,
        people_count=2,
    )


def sanction_form(v: Violation, **values):
    data = {
        "number": "01/QĐ-XPVPHC",
        "date": "05/06/2018",
        "authority": "Chủ tịch UBND",
        "form": "fine",
        "amount": "",
    }
    data.update(values)
    return data


def test_seeded_catalog_has_sources_and_legal_basis() -> None:
    buying = vtype("nd144-d24-k1-mua-dam")
    assert (buying.document, buying.article, buying.clause) == (
        "Nghị định 144/2021/NĐ-CP",
        "24",
        "1",
    )
    assert (buying.fine_min_individual, buying.fine_max_individual) == (1_000_000, 2_000_000)
    # read in secondary sources only: not marked as checked against the official text
    assert buying.fine_min_organisation is None and not buying.verified
    assert "luatvietnam.vn" in buying.source
    assert buying.legal_reference == "khoản 1 Điều 24 Nghị định 144/2021/NĐ-CP"
    selling_2018 = vtype("nd167-d23-k1-ban-dam")
    assert selling_2018.warning_allowed and selling_2018.is_valid_on(D)
    assert not buying.is_valid_on(D)
    assert all(t.source for t in ViolationType.objects.all())
    for t in ViolationType.objects.exclude(fine_min_organisation=None):
        assert t.fine_min_organisation == 2 * t.fine_min_individual  # Law 15/2012 Art. 24(2)


@pytest.mark.parametrize(
    ("amount", "ok"),
    [
        (40_000_000, True),
        (80_000_000, True),
        (55_500_000, True),
        (39_999_999, False),
        (80_000_001, False),
    ],
)
def test_fine_must_lie_in_the_organisation_range(client_for, amount, ok) -> None:
    v = violation()
    response = client_for("huyen.bmt").post(
        f"/enforcement/{v.pk}/sanctions/new/",
        sanction_form(v, amount=f"{amount:,}".replace(",", ".")),
    )
    if ok:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert Sanction.objects.get(violation=v).amount == amount
    else:
        assert response.status_code == 400
        errors = response.context["form"].errors["amount"]
        assert any("40.000.000 đ" in e and "80.000.000 đ" in e for e in errors), errors
        assert not Sanction.objects.exists()


def test_the_range_depends_on_the_subject_kind() -> None:
    v = violation(subject="individual")
    with pytest.raises(ValidationError) as exc:
        actions.record_sanction(
            actor=None,
            violation=v,
            number="1",
            date=D,
            authority="x",
            form="fine",
            amount=50_000_000,
        )
    assert list(exc.value.error_dict) == ["amount"]
    with translation.override("en"):
        message = exc.value.error_dict["amount"][0]
        text = str(message.message) % message.params
    assert "20.000.000 đ" in text and "40.000.000 đ" in text and "an individual" in text
    actions.record_sanction(
        actor=None, violation=v, number="1", date=D, authority="x", form="fine", amount=30_000_000
    )


def test_warning_only_where_the_provision_allows_it() -> None:
    buyer = violation("nd167-d22-k1-mua-dam", "individual")
    with pytest.raises(ValidationError) as exc:
        actions.record_sanction(
            actor=None, violation=buyer, number="1", date=D, authority="x", form="warning"
        )
    assert list(exc.value.error_dict) == ["form"]
    seller = violation("nd167-d23-k1-ban-dam", "individual")
    s = actions.record_sanction(
        actor=None, violation=seller, number="2", date=D, authority="x", form="warning"
    )
    assert s.amount is None
    with pytest.raises(ValidationError) as exc:
        actions.record_sanction(
            actor=None,
            violation=seller,
            number="3",
            date=D,
            authority="x",
            form="warning",
            amount=100_000,
        )
    assert list(exc.value.error_dict) == ["amount"]


def test_fine_without_amount_names_the_range() -> None:
    v = violation("nd167-d23-k1-ban-dam", "individual")
    with pytest.raises(ValidationError) as exc:
        actions.record_sanction(
            actor=None, violation=v, number="1", date=D, authority="x", form="fine", amount=None
        )
    error = exc.value.error_dict["amount"][0]
    assert error.params["low"] == "100.000 đ" and error.params["high"] == "300.000 đ"


def test_type_must_be_in_force_on_the_date_and_fit_the_subject() -> None:
    est = b.establishment(b.TAN_LAP)
    with pytest.raises(ValidationError) as exc:
        actions.record_violation(
            actor=None,
            violation_type=vtype("nd144-d24-k1-mua-dam"),
            date=D,
            establishment=est,
            subject_kind="individual",
        )
    assert list(exc.value.error_dict) == ["violation_type"]
    assert exc.value.error_dict["violation_type"][0].params["start"] == "01/01/2022"
    with pytest.raises(ValidationError) as exc:
        actions.record_violation(
            actor=None,
            violation_type=vtype("nd167-d22-k1-mua-dam"),
            date=D,
            establishment=est,
            subject_kind="organisation",
        )
    assert list(exc.value.error_dict) == ["subject_kind"]
    with pytest.raises(ValidationError) as exc:
        actions.record_violation(
            actor=None,
            violation_type=vtype("nd167-d22-k1-mua-dam"),
            date=D,
            subject_kind="individual",
        )
    assert list(exc.value.error_dict) == ["commune"]


def test_decision_cannot_precede_the_violation() -> None:
    v = violation()
    with pytest.raises(ValidationError) as exc:
        actions.record_sanction(
            actor=None,
            violation=v,
            number="1",
            date=datetime.date(2018, 5, 1),
            authority="x",
            form="fine",
            amount=50_000_000,
        )
    assert list(exc.value.error_dict) == ["date"]


def test_additional_measures_and_status_over_time(client_for) -> None:
    v = violation()
    client = client_for("huyen.bmt")
    response = client.post(
        f"/enforcement/{v.pk}/sanctions/new/",
        sanction_form(
            v,
            amount="60000000",
            suspension_months="6",
            confiscation="on",
            other_measures="Buộc nộp lại số lợi bất hợp pháp",
        ),
    )
    assert response.status_code == 302
    s = Sanction.objects.get(violation=v)
    assert (s.suspension_months, s.confiscation, s.status) == (6, True, "pending")
    url = f"/enforcement/sanctions/{s.pk}/status/"
    client.post(
        url, {"version": s.version, "status": "appealed", "on": "10/06/2018", "note": "Khiếu nại"}
    )
    s.refresh_from_db()
    client.post(url, {"version": s.version, "status": "paid", "on": "01/07/2018"})
    s.refresh_from_db()
    assert (s.status, s.status_since) == ("paid", datetime.date(2018, 7, 1))
    assert [(h.status, h.on) for h in s.history.order_by("on")] == [
        ("pending", datetime.date(2018, 6, 5)),
        ("appealed", datetime.date(2018, 6, 10)),
        ("paid", datetime.date(2018, 7, 1)),
    ]
    # A status dated before the current one is refused.
    client.post(url, {"version": s.version, "status": "enforced", "on": "20/06/2018"})
    s.refresh_from_db()
    assert s.status == "paid"
    assert AuditEvent.objects.filter(verb="sanction.status", object_id=str(s.pk)).count() == 2
    html = client.get(f"/enforcement/{v.pk}/").content.decode()
    assert "60.000.000 đ" in html and "Khiếu nại" in html


def test_only_a_fine_can_be_paid() -> None:
    v = violation("nd167-d23-k1-ban-dam", "individual")
    s = actions.record_sanction(
        actor=None, violation=v, number="1", date=D, authority="x", form="warning"
    )
    with pytest.raises(ValidationError):
        actions.change_sanction_status(s, actor=None, status="paid", on=D)


def test_sanction_edit_conflict(client_for) -> None:
    v = violation()
    s = actions.record_sanction(
        actor=None, violation=v, number="1", date=D, authority="x", form="fine", amount=50_000_000
    )
    url = f"/enforcement/sanctions/{s.pk}/edit/"
    data = sanction_form(v, version=1, amount="50000000", number="1", date="01/06/2018")
    assert client_for("huyen.bmt").post(url, {**data, "number": "1b"}).status_code == 302
    response = client_for("doi178").post(url, {**data, "number": "1c"})
    assert response.status_code == 409
    s.refresh_from_db()
    assert (s.number, s.version) == ("1b", 2)


def test_changing_the_subject_rechecks_the_fine() -> None:
    v = violation()
    actions.record_sanction(
        actor=None, violation=v, number="1", date=D, authority="x", form="fine", amount=70_000_000
    )
    with pytest.raises(ValidationError) as exc:
        actions.update_violation(
            v, actor=None, expected_version=v.version, subject_kind="individual"
        )
    assert "amount" in exc.value.error_dict
    v.refresh_from_db()
    assert v.subject_kind == "organisation"


def test_violation_with_sanction_cannot_be_removed() -> None:
    v = violation()
    actions.record_sanction(
        actor=None, violation=v, number="1", date=D, authority="x", form="fine", amount=70_000_000
    )
    with pytest.raises(ValidationError):
        actions.delete_violation(v, actor=None, reason="nhầm")


def test_catalog_is_edited_by_administrators(client_for) -> None:
    t = vtype("nd144-d25-k1-ban-dam")
    url = f"/enforcement/types/{t.pk}/"
    assert client_for("thuongtruc").get(url).status_code == 403
    page = client_for("admin").get(url)
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    data.update(
        {
            "fine_min_individual": "200.000",
            "fine_max_individual": "500.000",
            "verified": "on",
            "version": t.version,
            "valid_from": "01/01/2022",
            "valid_to": "14/12/2025",
        }
    )
    response = client_for("admin").post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    t.refresh_from_db()
    assert (t.fine_min_individual, t.verified, t.version) == (200_000, True, 2)
    assert AuditEvent.objects.filter(verb="violation_type.save", actor_name="admin").exists()
    data.update({"fine_min_individual": "900.000", "version": t.version})
    response = client_for("admin").post(url, data)
    assert response.status_code == 400
    assert "fine_max_individual" in response.context["form"].errors
    assert client_for("xa.tanlap").get("/enforcement/types/").status_code == 200
