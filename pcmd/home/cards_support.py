"""Home cards of support cases (issue 13): the work past its date on the cases a user works,
supervises or receives. Each provider runs a bounded number of queries (a count and at most
``MAX_ITEMS`` rows) through :mod:`pcmd.support.supervision`, the logic of the supervision
page its "all" link opens. Case codes only, never names."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from pcmd.support import supervision as sup

from .cards import MAX_ITEMS, Card, Context, Item, _date


def _all() -> tuple[str, str]:
    return reverse("support:supervision"), _("Supervision of support cases")


def support_followups(ctx: Context) -> Card | None:
    """Overdue follow-ups of the cases the user works or supervises."""
    if not ctx.user.can("support.cases"):
        return None
    rows = sup.my_overdue_followups(ctx.user, ctx.today)
    items = [
        Item(
            f.case.code,
            sup.case_url(f.case_id),
            _("%(unit)s · follow-up due %(date)s")
            % {"unit": f.case.unit.name, "date": _date(f.due_on)},
            "late",
            _("overdue"),
        )
        for f in rows[:MAX_ITEMS]
    ]
    url, text = _all()
    return Card("support-followups", _("Overdue follow-ups"), rows.count(), items, url, text)


def support_referrals(ctx: Context) -> Card | None:
    """Overdue referrals on both sides: those the user sent as the case's worker, and those
    sent to an agency the user is an officer of (to answer on the referral's page)."""
    sent = (
        sup.my_overdue_referrals_sent(ctx.user, ctx.today)
        if ctx.user.can("support.cases")
        else None
    )
    received = sup.overdue_referrals_received(ctx.user, ctx.today)
    if sent is None and not received.exists():
        return None  # not a case role and nothing waiting at the user's agencies
    items: list[Item] = []
    count = 0
    if sent is not None:
        count += sent.count()
        for r in sent[:MAX_ITEMS]:
            items.append(
                Item(
                    f"{r.case.code} — {r.type.name}",
                    sup.case_url(r.case_id),
                    _("sent to %(to)s · answer due %(date)s")
                    % {
                        "to": r.to_agency.name if r.to_agency else r.to_name,
                        "date": _date(r.due_on),
                    },
                    "late",
                    _("no answer"),
                )
            )
    count += received.count()
    for r in received[: max(0, MAX_ITEMS - len(items))]:
        items.append(
            Item(
                f"{r.case.code} — {r.type.name}",
                sup.referral_url(r.pk),
                _("to answer by %(date)s") % {"date": _date(r.due_on)},
                "late",
                _("to answer"),
            )
        )
    url, text = _all() if sent is not None else ("", "")
    return Card("support-referrals", _("Overdue referrals"), count, items, url, text)


def support_without_contact(ctx: Context) -> Card | None:
    """Cases the user supervises with no contact for 60 days."""
    if not ctx.user.can("support.cases"):
        return None
    rows = sup.supervised_without_contact(ctx.user, ctx.today)
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
        for case in rows[:MAX_ITEMS]
    ]
    url, text = _all()
    return Card(
        "support-without-contact",
        _("Cases without contact for %(n)s days") % {"n": sup.NO_CONTACT_DAYS},
        rows.count(),
        items,
        url,
        text,
    )
