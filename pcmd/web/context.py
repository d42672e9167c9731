"""Template context: the navigation a user's roles open, grouped into menus."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.templatetags.pcmd_perms import may_open_path

# The menus, in order. An entry whose group is ``None`` stands alone in the bar.
_GROUPS: dict[str, Promise] = {
    "plan": _("Plans & targets"),
    "registers": _("Registers"),
    "reports": _("Reports"),
    "admin": _("Catalogs & administration"),
}

# (url name, label, group). Each entry opens for the users its view lets in
# (``capability_required`` on the view): the navigation asks the view, it does not keep its
# own list of capabilities.
_NAV: list[tuple[str, Any, str | None]] = [
    ("home", _("Home"), None),
    ("dashboard:home", _("Dashboard"), None),
    ("national:overview", _("National view"), None),
    ("plans:list", _("Plans"), "plan"),
    ("plans:proposal-new", _("A plan from its document"), "plan"),
    ("budget:list", _("Budget"), "plan"),
    ("communes:list", _("Commune assessment"), "plan"),
    ("registry:list", _("Businesses"), "registers"),
    ("inspections:list", _("Inspections"), "registers"),
    ("enforcement:list", _("Sanctions"), "registers"),
    ("cases:list", _("Criminal cases"), "registers"),
    ("hotspots:list", _("Hotspots"), "registers"),
    ("support:list", _("Support"), "registers"),
    ("support:cases", _("Support cases"), "registers"),
    ("support:supervision", _("Supervision of support cases"), "reports"),
    ("outreach:list", _("Communication"), "registers"),
    ("people:find", _("Find a person"), "registers"),
    ("reporting:inbox", _("Periodic reports"), "reports"),
    ("taskreports:list", _("Task reports"), "reports"),
    ("cases:summary", _("Case summary"), "reports"),
    ("cases:reconcile", _("Case reconciliation"), "reports"),
    ("units", _("Administrative units"), "admin"),
    ("agencies", _("Agencies"), "admin"),
    ("dashboard:boundaries", _("Boundary import"), "admin"),
    ("users", _("Users"), "admin"),
    ("plans:provinces", _("Provinces"), "admin"),
    ("audit", _("Audit log"), "admin"),
    ("people:privacy", _("Personal data protection"), "admin"),
    ("people:review", _("Review of exceptional access"), "admin"),
]


def _current(path: str, urls: list[str]) -> str | None:
    """The entry the page at ``path`` belongs to: the longest entry URL that prefixes it
    (the home page only matches itself)."""
    best: str | None = None
    for url in urls:
        matches = path == url if url == "/" else path.startswith(url)
        if matches and (best is None or len(url) > len(best)):
            best = url
    return best


def navigation(request: HttpRequest) -> dict[str, Any]:
    """``nav_items``: every entry the user may open (flat); ``nav_menu``: the bar, made of
    single links and groups of links, each group shown only when it holds an entry."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(request, "two_factor_pending", False):
        return {"nav_items": [], "nav_menu": []}  # no menu before the second factor either
    opened = []
    for name, label, group in _NAV:
        url = reverse(name)
        if may_open_path(user, url):
            opened.append((url, label, group))
    current = _current(request.path, [url for url, _label, _group in opened])
    items: list[dict[str, Any]] = []
    menu: list[dict[str, Any]] = []
    groups: dict[str, dict[str, Any]] = {}
    for url, label, group in opened:
        item = {"url": url, "label": label, "active": url == current, "group": group}
        items.append(item)
        if group is None:
            menu.append({"key": url, "label": label, "item": item, "active": item["active"]})
            continue
        if group not in groups:
            groups[group] = {"key": group, "label": _GROUPS[group], "links": [], "active": False}
            menu.append(groups[group])
        groups[group]["links"].append(item)
        groups[group]["active"] = groups[group]["active"] or item["active"]
    return {"nav_items": items, "nav_menu": menu}
