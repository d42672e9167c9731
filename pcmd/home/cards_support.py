"""Home cards of support cases (issue 13): the work past its date on the cases a user works,
supervises or receives. Each provider runs a bounded number of queries (a count and at most
``MAX_ITEMS`` rows) through :mod:`pcmd.support.supervision`, the logic of the supervision
page its "all" link opens. Case codes only, never names.

:mod:`pcmd.home.cards` lists these providers, so its classes are read when a provider runs
(this module may be imported first, or from the middle of ``pcmd.home.cards``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from pcmd.support import supervision as sup

if TYPE_CHECKING:
    from .cards import Card, Context


def _take(rows: QuerySet[Any], limit: int) -> tuple[int, list[Any]]:
    """(how many, the first ``limit``): the count costs a query only when the list is full."""
    first = list(rows[:limit])
    return (len(first) if len(first) < limit else rows.count()), first


def _all() -> tuple[str, str]:
    return reverse("support:supervision"), _("Supervision of support cases")


def support_followups(ctx: Context) -> Card | None:
    """Overdue follow-ups of the cases the user works or supervises."""
    from .cards import MAX_ITEMS, Card, Item, _date

    if not ctx.user.can("support.cases"):
        return None
    count, rows = _take(sup.my_overdue_followups(ctx.user, ctx.today), MAX_ITEMS)
    items = [
        Item(
            f.case.code,
            sup.case_url(f.case_id),
            _("%(unit)s · follow-up due %(date)s")
            % {"unit": f.case.unit.name, "date": _date(f.due_on)},
            "late",
            _("overdue"),
        )
        for f in rows
    ]
    url, text = _all()
    return Card("support-followups", _("Overdue follow-ups"), count, items, url, text)


def support_referrals(ctx: Context) -> Card | None:
    """Overdue referrals on both sides: those the user sent as the case's worker, and those
    sent to an agency the user is an officer of (to answer on the referral's page)."""
    from .cards import MAX_ITEMS, Card, Item, _date

    is_case_role = ctx.user.can("support.cases")
    sent = sup.my_overdue_referrals_sent(ctx.user, ctx.today) if is_case_role else None
    received = sup.overdue_referrals_received(ctx.user, ctx.today)
    if sent is None and not received.exists():
        return None  # not a case role and nothing waiting at the user's agencies
    items: list[Item] = []
    count = 0
    if sent is not None:
        n, first = _take(sent, MAX_ITEMS)
        count += n
        for r in first:
            to = r.to_agency.name if r.to_agency else r.to_name
            items.append(
                Item(
                    f"{r.case.code} — {r.type.name}",
                    sup.case_url(r.case_id),
                    _("sent to %(to)s · answer due %(date)s") % {"to": to, "date": _date(r.due_on)},
                    "late",
                    _("no answer"),
                )
            )
    n, first = _take(received, MAX_ITEMS)
    count += n
    for r in first[: MAX_ITEMS - len(items)]:
        items.append(
            Item(
                f"{r.case.code} — {r.type.name}",
                sup.referral_url(r.pk),
                _("to answer by %(date)s") % {"date": _date(r.due_on)},
                "late",
                _("to answer"),
            )
        )
    url, text = _all() if is_case_role else ("", "")
    return Card("support-referrals", _("Overdue referrals"), count, items, url, text)


def support_without_contact(ctx: Context) -> Card | None:
    """Cases the user supervises with no contact for 60 days."""
    from .cards import MAX_ITEMS, Card, Item, _date

    if not ctx.user.can("support.cases"):
        return None
    count, rows = _take(sup.supervised_without_contact(ctx.user, ctx.today), MAX_ITEMS)
    items = [
        Item(
            case.code,
            sup.case_url(case.pk),
            _("%(unit)s · last contact %(date)s")
            % {
                "unit": case.unit.name,
                "date": _date(case.last_contact_on) if case.last_contact_on else "—",
            },
            "late",
            _("no contact"),
        )
        for case in rows
    ]
    url, text = _all()
    return Card(
        "support-without-contact",
        _("Cases without contact for %(n)s days") % {"n": sup.NO_CONTACT_DAYS},
        count,
        items,
        url,
        text,
    )
