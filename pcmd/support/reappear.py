"""The reappearance record (issue 13, item 5): a person followed in a support case (open, or
closed within the last 12 months) is named on a new sanction or criminal case. The case's
worker and supervisor (no one else: not the standing office, not the police) learn the
register and the date, nothing of the sanction or the criminal case itself.

The hook :func:`on_involvement` is registered with ``pcmd.people.actions.involve`` (the
single place a person is linked to a record) by ``SupportConfig.ready``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.roles import MODULE_CASES, MODULE_ENFORCEMENT
from pcmd.core import audit
from pcmd.people.models import Involvement, Person

from .models import CaseStatus, Reappearance, SupportCase

# The registers whose new records count as a reappearance, with the phrase a worker reads.
WATCHED = {
    MODULE_ENFORCEMENT: _("appeared again in an administrative sanction record on %(date)s"),
    MODULE_CASES: _("appeared again in a criminal case record on %(date)s"),
}
# How long after closure a case still hears of a reappearance.
CLOSED_WITHIN_DAYS = 365


def followed_cases(person_id: int, on: datetime.date) -> QuerySet[SupportCase]:
    """The person's cases that are open, or were closed within the last 12 months."""
    since = on - datetime.timedelta(days=CLOSED_WITHIN_DAYS)
    return SupportCase.objects.filter(person_id=person_id).filter(
        Q(status=CaseStatus.OPEN) | Q(closed_on__gte=since)
    )


def on_involvement(involvement: Involvement) -> None:
    """A new involvement in a watched register: one row per followed case of the person."""
    if involvement.module not in WATCHED:
        return
    on = involvement.started_on or timezone.localdate()
    for case in followed_cases(involvement.person_id, timezone.localdate()):
        Reappearance.objects.get_or_create(
            case=case,
            module=involvement.module,
            source=involvement.source[:60],
            defaults={"on": on},
        )


def on_merge(kept: Person, merged: Person) -> list[int]:
    """Two records found to be the same person: the sanctions and criminal cases of one,
    dated from a followed case's opening on, are reappearances for the other's cases."""
    today = timezone.localdate()
    followed = followed_cases(kept.pk, today) | followed_cases(merged.pk, today)
    watched = Involvement.objects.filter(person=kept, module__in=list(WATCHED))
    created: list[int] = []
    for case in followed:
        for involvement in watched.filter(started_on__gte=case.opened_on):
            row, new = Reappearance.objects.get_or_create(
                case=case,
                module=involvement.module,
                source=involvement.source[:60],
                defaults={"on": involvement.started_on},
            )
            if new:
                created.append(row.pk)
    return created


def on_unmerge(merged: Person, ids: list[int]) -> None:
    """Undoing the merge removes the rows it made."""
    Reappearance.objects.filter(pk__in=ids).delete()


def follows(user: Any, case: SupportCase) -> bool:
    """The case's worker or supervisor (the only readers of its reappearances)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.pk in (case.worker_id, case.supervisor_id)


def _followed_q(user: Any) -> Q:
    return Q(case__worker=user) | Q(case__supervisor=user)


def for_case(user: Any, case: SupportCase) -> list[Reappearance]:
    """The reappearances of ``case`` ``user`` may read (none unless worker or supervisor)."""
    if not follows(user, case):
        return []
    return list(case.reappearances.order_by("-on", "-pk"))


def reappearances_for(user: Any) -> QuerySet[Reappearance]:
    """Unseen reappearances of the cases ``user`` works on or supervises (a home card)."""
    if not getattr(user, "is_authenticated", False):
        return Reappearance.objects.none()
    return (
        Reappearance.objects.filter(_followed_q(user), seen_at__isnull=True)
        .select_related("case")
        .order_by("-on", "-pk")
    )


def text(row: Reappearance) -> str:
    """The sentence shown: the register and the date, no more."""
    phrase = WATCHED.get(row.module)
    if phrase is None:
        return str(row.module)
    return str(phrase) % {"date": row.on.strftime("%d/%m/%Y")}


@transaction.atomic
def mark_seen(actor: Any, row: Reappearance) -> Reappearance:
    if not follows(actor, row.case):
        raise PermissionDenied
    if row.seen_at is None:
        row.seen_at = timezone.now()
        row.seen_by = actor
        row.save(update_fields=["seen_at", "seen_by"])
        audit.record(
            actor=actor,
            verb="support_case.reappearance_seen",
            obj=row.case,
            changes={"module": row.module},
        )
    return row
