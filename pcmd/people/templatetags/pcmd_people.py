"""Showing a person: the identity to those it was revealed to, the code to everyone else.

Views decide and log who sees what (``pcmd.people.access.reveal``/``reveal_many`` return the
pks shown); templates only pick the label::

    {% load pcmd_people %}{% person_label person revealed %}
"""

from __future__ import annotations

from collections.abc import Container
from typing import Any

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def person_label(person: Any, revealed: Container[int] | bool = ()) -> str:
    shown = revealed if isinstance(revealed, bool) else person.pk in revealed
    if shown:
        return format_html(
            '<span class="person-name">{}</span> <span class="person-code">({})</span>',
            person.full_name,
            person.code,
        )
    return format_html('<span class="person-code">{}</span>', person.code)
