"""Template helpers of the reporting pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ..values import display

register = template.Library()

#: The tabs of the reporting pages (``reporting/_head.html``).
TABS = ("inbox", "list", "completeness", "below", "quality", "reminders", "forms")


@register.simple_tag(takes_context=True)
def current_tab(context: Any, tab: str) -> str:
    """The tab to highlight: the page's own, or the list the user came from.

    A report opened from the inbox (``?from=inbox``) keeps "Inbox" highlighted, not
    "All reports"; an unknown ``from`` falls back to the page's tab.
    """
    request = context.get("request")
    came_from = request.GET.get("from", "") if request is not None else ""
    return came_from if came_from in TABS else tab


@register.simple_tag
def pair(approved: dict[str, Any], live: dict[str, Any], field: Any) -> str:
    """An approved figure, and the live one beside it when it differs (automatic fields).

    The mappings come from :func:`pcmd.reporting.values.aggregate` with the viewing user, so
    small counts of people are already ``"<5"`` for users who are not person-level.
    """
    a = approved.get(field.code)
    text = display(field, a) if a is not None else "—"
    if field.is_auto and field.code in live:
        now = live.get(field.code)
        if now != a:
            return format_html(
                '{} <span class="small live" title="{}">({})</span>',
                text,
                _("live figure from the registers now"),
                display(field, now) if now is not None else "—",
            )
    return format_html("{}", text)


@register.filter
def get(mapping: Any, key: str) -> Any:
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def reminder_text(reminder: Any) -> str:
    """A reminder in the reader's language, from its parts (form, reporter, period, due)."""
    from ..actions import reminder_text as render_reminder

    return render_reminder(reminder)
