"""The dashboard's alerts: what needs attention in a unit and period."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef
from django.urls import reverse

from pcmd.core.formatting import vi_sort_key
from pcmd.geo.models import Unit, UnitLevel
from pcmd.geo.subtree import under_q
from pcmd.hotspots.models import Hotspot, HotspotStatus
from pcmd.indicators.engine import evaluate
from pcmd.indicators.models import Indicator
from pcmd.inspections.models import Inspection
from pcmd.people.emergency import queue_counts
from pcmd.registry.models import Establishment

from .query import Question

# Names listed in an alert; the rest are "and N more", a link to the full list.
ALERT_NAMES = 8


def _coverage_url(q: Question) -> str:
    """The communication activities of the question's year and unit, where every commune
    without an activity is listed."""
    query: dict[str, Any] = {"year": q.period.end.year}
    fields: dict[int, str] = {UnitLevel.DISTRICT: "district", UnitLevel.COMMUNE: "commune"}
    field = fields.get(int(q.root.level))
    if field is not None:
        query[field] = q.root.pk
    return f"{reverse('outreach:list')}?{urlencode(query)}#coverage"


def review_alerts(user: Any) -> dict[str, Any]:
    """Reviewers: emergency accesses and consent overrides left unreviewed too long (by the
    clock: computed on every request, never kept)."""
    reviews = queue_counts(user)
    if reviews is not None and reviews.overdue:
        return {"overdue_reviews": {"count": reviews.overdue, "pending": reviews.pending}}
    return {}


def register_alerts(q: Question, user: Any, *, counts_only: bool = False) -> dict[str, Any]:
    """Communes with no communication activity, overdue re-checks of cleared hotspots and
    establishments never inspected, inside the question's unit and period (dashboard and
    home page). ``counts_only``: the counts without the names and rows (the home page's card)."""
    alerts: dict[str, Any] = {}
    coverage = Indicator.objects.filter(code="communes_with_activity").first()
    if coverage is not None:
        result = evaluate(
            coverage, q.root, q.period, by="commune", mapping=q.mapping, as_is_on=q.as_is_on
        )
        ids = [uid for uid, v in result.values.items() if not v]
        units = (
            []
            if counts_only
            else sorted(
                Unit.objects.filter(pk__in=ids).prefetch_related("names"),
                key=lambda u: vi_sort_key(u.name_on(q.period.end)),
            )
        )
        alerts["no_activity"] = {
            "count": len(ids),
            "units": [u.name_on(q.period.end) for u in units[:ALERT_NAMES]],
            "more": max(0, len(ids) - ALERT_NAMES),
            "url": _coverage_url(q),
        }
    in_root = under_q("commune", [q.root.path])
    overdue = (
        Hotspot.objects.visible_to(user)
        .filter(
            in_root,
            status=HotspotStatus.CLEARED,
            next_check_due__lt=min(q.as_is_on, q.period.end),
        )
        .select_related("commune")
        .order_by("next_check_due")
    )
    alerts["overdue_rechecks"] = {
        "count": overdue.count(),
        "items": [] if counts_only else list(overdue[:10]),
    }
    # A soft-deleted inspection was struck from the register: it does not count as a visit.
    inspected = Inspection.objects.filter(establishment=OuterRef("pk"), is_deleted=False)
    never = (
        Establishment.objects.visible_to(user)
        .filter(in_root)
        .exclude(Exists(inspected))
        .select_related("commune", "kind")
        .order_by("name")
    )
    alerts["never_inspected"] = {
        "count": never.count(),
        "items": [] if counts_only else list(never[:10]),
    }
    return alerts
