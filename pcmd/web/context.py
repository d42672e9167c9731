"""Template context: the navigation a user's roles open."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

_NAV = [
    ("home", _("Home"), None),
    ("dashboard:home", _("Dashboard"), "dashboard.view"),
    ("reporting:inbox", _("Reports"), "reports.view"),
    ("plans", _("Plans"), "plan.view"),
    ("units", _("Administrative units"), "units.view"),
    ("agencies", _("Agencies"), "agencies.view"),
    ("registry:list", _("Businesses"), "registry.view"),
    ("inspections:list", _("Inspections"), "inspections.view"),
    ("enforcement:list", _("Sanctions"), "enforcement.view"),
    ("hotspots:list", _("Hotspots"), "hotspots.view"),
    ("outreach:list", _("Communication"), "outreach.view"),
    ("communes:list", _("Commune assessment"), "assessment.view"),
    ("taskreports:list", _("Task reports"), "taskreports.view"),
    ("budget:list", _("Budget"), "budget.view"),
    ("support:list", _("Support"), "support.view"),
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
            url = reverse(name)  # every module is built: a wrong name must fail, not hide
            active = request.path == url if name == "home" else request.path.startswith(url)
            items.append({"url": url, "label": label, "active": active})
    return {"nav_items": items}
