import pytest

from pcmd.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_log_is_append_only() -> None:
    event = AuditEvent.objects.first()
    assert event is not None  # the demo load wrote rows
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(verb="x")


def test_demo_load_is_audited() -> None:
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"units.load", "agencies.load", "plan.import", "user.create", "assignment.add"} <= verbs


def test_admin_filters_the_log(client_for) -> None:
    client = client_for("admin")
    page = client.get("/audit/?verb=plan.import").content.decode()
    assert 'data-verb="plan.import"' in page and 'data-verb="user.create"' not in page
    page = client.get("/audit/?verb=user.create&date_from=01/01/2000").content.decode()
    assert 'data-verb="user.create"' in page
    page = client.get("/audit/?user=nobody-like-this").content.decode()
    assert 'data-verb="user.create"' not in page  # not a choice: nothing matches
