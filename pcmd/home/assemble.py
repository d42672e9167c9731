"""The home page's cards for one request, each kept while the tables it read are unchanged."""

from __future__ import annotations

import datetime

from django.utils.translation import get_language

from pcmd.core.datacache import remember, scope_key, scope_tables, snapshot, user_tables
from pcmd.web.auth import AuthenticatedHttpRequest

from .cards import (
    OVERVIEW,
    WORK,
    Card,
    Context,
    Provider,
    alert_card,
    assessments_to_confirm,
    exceptions_to_review,
    hotspot_rechecks,
    inspections_due,
    my_assessment,
    recent_changes,
    reports_approve,
    reports_returned,
    reports_to_submit,
    targets,
    task_reports_owed,
)

#: Cards computed on every request: they read the clock (and the audit log, not stamped).
LIVE: frozenset[Provider] = frozenset({recent_changes, exceptions_to_review})

#: Cards that depend on the user only through their roles and scope (today's assignments:
#: role, unit, agency): everyone with the same assignments shares one kept answer, so the
#: second officer of an office opens the home page without computing them again. Each reads
#: the registers through ``visible_to``/``allows``/``can_approve``, which decide by the
#: assignments alone. Every other card is kept per user: reminders (addressed to a person),
#: case stages and support cases a person works or supervises, referrals.
BY_SCOPE: frozenset[Provider] = frozenset(
    {
        reports_to_submit,
        reports_returned,
        reports_approve,
        my_assessment,
        assessments_to_confirm,
        inspections_due,
        hotspot_rechecks,
        task_reports_owed,
        targets,
        alert_card,
    }
)


def cards_for(
    request: AuthenticatedHttpRequest, today: datetime.date | None = None
) -> tuple[list[Card], list[Card]]:
    """(work cards, overview cards) for the request's user. Each card but the ``LIVE`` ones is
    kept while the tables it read are unchanged (:func:`pcmd.core.datacache.remember`): an
    approved report recomputes the report cards, not the risk ranking."""
    ctx = Context(request, today)
    asked = (get_language(), ctx.today, request.GET.urlencode())
    now = snapshot()
    # A user's own card depends on the user's row and roles, read before the card; a shared
    # card's key holds the roles and scope, so a sign-in (which writes the user's row) does
    # not recompute it; the units and agencies it names may still change.
    own = ("home", ctx.user.pk, *asked), user_tables()
    shared = ("home", scope_key(ctx.user), *asked), scope_tables()

    def card(provider: Provider) -> Card | None:
        if provider in LIVE:
            return provider(ctx)
        key, base = shared if provider in BY_SCOPE else own
        return remember((*key, provider.__name__), lambda: provider(ctx), base_tables=base, now=now)

    work = [c for c in (card(p) for p in WORK) if c is not None]
    overview = [c for c in (card(p) for p in OVERVIEW) if c is not None]
    return work, overview
