"""What the emergency-access slot of a person's page shows to the user::

{% load pcmd_emergency %}{% emergency_state person as glass %}
"""

from __future__ import annotations

from typing import Any

from django import template

from pcmd.people import emergency
from pcmd.people.access import active_emergency

register = template.Library()


@register.simple_tag(takes_context=True)
def emergency_state(context: template.Context, person: Any) -> dict[str, Any]:
    """``{"active": the open access or None, "may_open": bool, "hours": int}``; nothing at
    all for users without ``people.identity``."""
    user = context.get("user")
    if user is None or not getattr(user, "is_authenticated", False):
        return {"active": None, "may_open": False, "hours": emergency.hours()}
    if not user.can("people.identity"):
        return {"active": None, "may_open": False, "hours": emergency.hours()}
    active = active_emergency(user, person)
    return {
        "active": active,
        "may_open": active is None and emergency.may_break_glass(user, person),
        "hours": emergency.hours(),
    }
