import pytest

from pcmd.accounts.models import User
from pcmd.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_admin_creates_a_user_and_gives_a_role(client_for) -> None:
    client = client_for("admin")
    response = client.post(
        "/users/new/",
        {
            "username": "canbo.moi",
            "full_name": "Cán bộ mới",
            "position": "",
            "email": "",
            "phone": "",
            "is_active": "on",
            "password": "Mat-khau-rat-dai-2018",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="canbo.moi")
    response = client.post(
        f"/users/{user.pk}/roles/",
        {
            "a-role": "commune_officer",
            "a-unit_code": "24121",
            "a-unit_on": "12/03/2018",
        },
    )
    assert response.status_code == 302
    assignment = user.assignments.get()
    assert (assignment.role, assignment.unit.code) == ("commune_officer", "24121")
    verbs = list(AuditEvent.objects.filter(object_id=str(user.pk)).values_list("verb", flat=True))
    assert "user.create" in verbs and "assignment.add" in verbs


def test_unknown_unit_code_is_explained(client_for, persona) -> None:
    user = persona("xa.easo")
    response = client_for("admin").post(
        f"/users/{user.pk}/roles/",
        {
            "a-role": "commune_officer",
            "a-unit_code": "24127",
            "a-unit_on": "01/01/2025",
        },
    )
    assert response.status_code == 400
    assert "24127" in response.content.decode()
    assert user.assignments.count() == 1


def test_weak_password_is_refused(client_for) -> None:
    response = client_for("admin").post(
        "/users/new/", {"username": "yeu", "password": "12345678", "is_active": "on"}
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="yeu").exists()


def test_edit_records_what_changed(client_for, persona) -> None:
    user = persona("xa.easo")
    response = client_for("admin").post(
        f"/users/{user.pk}/",
        {
            "u-username": user.username,
            "u-full_name": "Tên mới",
            "u-position": "Chủ tịch",
            "u-email": "",
            "u-phone": "",
            "u-is_active": "on",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(verb="user.update", object_id=str(user.pk)).first()
    assert event.changes["full_name"][1] == "Tên mới"
    assert event.actor_name == "admin"


def test_remove_role(client_for, persona) -> None:
    user = persona("xa.easo")
    assignment = user.assignments.get()
    response = client_for("admin").post(f"/users/{user.pk}/roles/{assignment.pk}/remove/")
    assert response.status_code == 302
    assert not user.assignments.exists()
    assert AuditEvent.objects.filter(verb="assignment.remove", object_id=str(user.pk)).exists()


def test_demo_accounts_share_one_hash_of_the_demo_password(db) -> None:
    """The demo hashes its one password once (Argon2 is slow by design: ~0.1 s a hash, 16
    accounts, and every test that builds the demo paid it); each account signs in with it."""
    from django.contrib.auth.hashers import identify_hasher

    from pcmd.core.demo import load_demo

    load_demo("mat-khau-demo-2018", registers=False)
    users = list(User.objects.filter(password__startswith="argon2"))
    assert len(users) >= 10
    assert len({u.password for u in users}) == 1
    assert identify_hasher(users[0].password).algorithm == "argon2"
    assert all(u.check_password("mat-khau-demo-2018") for u in users[:3])
    assert not users[0].check_password("mat-khau-khac-2018")
    load_demo("mat-khau-moi-2019", registers=False)  # re-running resets it, for every account
    again = User.objects.filter(pk__in=[u.pk for u in users])
    assert len({u.password for u in again}) == 1
    assert again[0].check_password("mat-khau-moi-2019")
