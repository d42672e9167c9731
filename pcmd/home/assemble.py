"""The home page's cards for one request, each kept while the tables it read are unchanged."""

from __future__ import annotations

import datetime

from django.utils.translation import get_language

from pcmd.core.datacache import remember, snapshot, user_tables
from pcmd.web.auth import AuthenticatedHttpRequest

from .cards import OVERVIEW, WORK, Card, Context, Provider, exceptions_to_review, recent_changes

#: Cards computed on every request: they read the clock (and the audit log, not stamped).
LIVE: frozenset[Provider] = frozenset({recent_changes, exceptions_to_review})


def cards_for(
    request: AuthenticatedHttpRequest, today: datetime.date | None = None
) -> tuple[list[Card], list[Card]]:
    """(work cards, overview cards) for the request's user. Each card but the ``LIVE`` ones is
    kept while the tables it read are unchanged (:func:`pcmd.core.datacache.remember`): an
    approved report recomputes the report cards, not the risk ranking."""
    ctx = Context(request, today)
    key = ("home", ctx.user.pk, get_language(), ctx.today, request.GET.urlencode())
    now = snapshot()
    base = user_tables()  # the user's roles and scope, read before the cards

    def card(provider: Provider) -> Card | None:
        if provider in LIVE:
            return provider(ctx)
        return remember((*key, provider.__name__), lambda: provider(ctx), base_tables=base, now=now)

    work = [c for c in (card(p) for p in WORK) if c is not None]
    overview = [c for c in (card(p) for p in OVERVIEW) if c is not None]
    return work, overview
