"""``{% people value "register" %}``: a count of people as the page's user may see it.

``{% load pcmd_privacy %}{% people v.people_count "violations" %}`` writes ``"<5"`` for 1..4
unless the request's user sees small counts of people of that register
(:func:`pcmd.indicators.privacy.sees_small_cells`, DESIGN.md §4); ``{% people ... as n %}``
keeps it for a ``blocktranslate``. The user is the request's, so a view cannot forget to
pass a flag; without a user, small counts are hidden.
"""

from __future__ import annotations

from typing import Any

from django import template

from pcmd.indicators.privacy import PERSON_LEVEL_ROLES, sees_small_cells, shown

register = template.Library()


@register.simple_tag(takes_context=True)
def people(context: template.Context, value: Any, source: str) -> Any:
    if source not in PERSON_LEVEL_ROLES:
        raise template.TemplateSyntaxError(f"people: no register named {source!r}")
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return shown(value, suppress=not sees_small_cells(user, source))
