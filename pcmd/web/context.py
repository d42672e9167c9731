"""Template context: the navigation a user's roles open."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

_NAV = [
    ("home", _("Home"), None),
    ("plans", _("Plans"), "plan.view"),
    ("units", _("Administrative units"), "units.view"),
    ("agencies", _("Agencies"), "agencies.view"),
    ("users", _("Users"), "users.manage"),
    ("audit", _("Audit log"), "audit.view"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for name, label, capability in _NAV:
        if capability is None or user.can(capability):
            url = reverse(name)
            active = request.path == url if name == "home" else request.path.startswith(url)
            items.append({"url": url, "label": label, "active": active})
    return {"nav_items": items}
