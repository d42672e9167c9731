"""Template context: the navigation a user's roles open."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.templatetags.pcmd_perms import may_open_path

# Each entry opens for the users its view lets in (``capability_required`` on the view):
# the navigation asks the view, it does not keep its own list of capabilities.
_NAV = [
    ("home", _("Home")),
    ("dashboard:home", _("Dashboard")),
    ("reporting:inbox", _("Reports")),
    ("plans", _("Plans")),
    ("units", _("Administrative units")),
    ("agencies", _("Agencies")),
    ("registry:list", _("Businesses")),
    ("inspections:list", _("Inspections")),
    ("enforcement:list", _("Sanctions")),
    ("hotspots:list", _("Hotspots")),
    ("outreach:list", _("Communication")),
    ("communes:list", _("Commune assessment")),
    ("taskreports:list", _("Task reports")),
    ("budget:list", _("Budget")),
    ("support:list", _("Support")),
    ("users", _("Users")),
    ("audit", _("Audit log")),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for name, label in _NAV:
        url = reverse(name)
        if not may_open_path(user, url):
            continue
        active = request.path == url if name == "home" else request.path.startswith(url)
        items.append({"url": url, "label": label, "active": active})
    return {"nav_items": items}
