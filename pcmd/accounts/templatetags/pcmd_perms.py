"""Template side of the permission rule: show a link or button only to who may use it.

``{% load pcmd_perms %}{% if request.user|may_change:obj %}…{% endif %}`` uses the same
function as the actions (``pcmd.accounts.policy.may_change``).
"""

from __future__ import annotations

import functools
from typing import Any

from django import template
from django.urls import Resolver404, resolve, reverse

from pcmd.accounts.permissions import allows

register = template.Library()


@register.filter
def may_change(user: Any, obj: Any) -> bool:
    """Whether ``user`` may edit, delete or change the status of ``obj``."""
    from pcmd.accounts.policy import rule_for

    if obj is None or not getattr(user, "is_authenticated", False):
        return False
    return allows(user, rule_for(obj).capability, obj=obj)


@functools.lru_cache(maxsize=4096)
def _view_rule(path: str) -> tuple[str | None, Any]:
    """The capability and the ``opens_for`` predicate of the view at ``path``. The URLconf
    does not change while the process runs, so each path is resolved once (the menu asks
    about ~30 paths on every page)."""
    try:
        match = resolve(path)
    except Resolver404:
        return None, None
    return getattr(match.func, "capability", None), getattr(match.func, "opens_for", None)


def may_open_path(user: Any, path: str) -> bool:
    """Whether the page at ``path`` opens for ``user`` (same check as its view)."""
    if not getattr(user, "is_authenticated", False):
        return False
    capability, opens_for = _view_rule(path)
    if opens_for is not None:  # a view whose rule is not one capability (pcmd.people)
        return bool(opens_for(user))
    return capability is None or bool(user.can(capability))


@register.simple_tag(takes_context=True)
def may_open(context: template.Context, name: str, *args: Any) -> bool:
    """``{% may_open "reporting:start" as ok %}``: the named page opens for the user."""
    request = context.get("request")
    return may_open_path(getattr(request, "user", None), reverse(name, args=args))
