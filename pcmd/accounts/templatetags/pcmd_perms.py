"""Template side of the permission rule: show a link or button only to who may use it.

``{% load pcmd_perms %}{% if request.user|may_change:obj %}…{% endif %}`` uses the same
function as the actions (``pcmd.accounts.policy.may_change``).
"""

from __future__ import annotations

from typing import Any

from django import template

from pcmd.accounts.permissions import allows

register = template.Library()


@register.filter
def may_change(user: Any, obj: Any) -> bool:
    """Whether ``user`` may edit, delete or change the status of ``obj``."""
    from pcmd.accounts.policy import rule_for

    if obj is None or not getattr(user, "is_authenticated", False):
        return False
    return allows(user, rule_for(obj).capability, obj=obj)
