"""``{% reappearances case user as rows %}``: the case's reappearances ``user`` may read, each
with its sentence (pcmd.support.reappear)."""

from __future__ import annotations

from typing import Any

from django import template

from pcmd.support import reappear

register = template.Library()


@register.simple_tag
def reappearances(case: Any, user: Any) -> list[dict[str, Any]]:
    return [{"row": r, "text": reappear.text(r)} for r in reappear.for_case(user, case)]
