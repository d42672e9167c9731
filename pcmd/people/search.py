"""Finding a person by what an official types: an ID number, a phone number, or a name with
a birth year. Only blind indexes are compared (indexed equality); nothing is decrypted."""

from __future__ import annotations

import re
from typing import Any

from . import normalise
from .models import Person, PersonQuerySet

_YEAR = re.compile(r"\b(19|20)\d{2}\b")


def parse(text: str) -> dict[str, Any]:
    """``{"id_number": …}``, ``{"phone": …}`` or ``{"name": …, "year": …}``."""
    text = (text or "").strip()
    digits = normalise.id_number(text)
    letters = normalise.name(text)
    if digits and not letters:
        if len(digits) in (9, 12):
            return {"id_number": digits}
        return {"phone": digits}
    match = _YEAR.search(text)
    year = int(match.group(0)) if match else None
    name = _YEAR.sub(" ", text) if match else text
    return {"name": name.strip(" ,;-"), "year": year}


def find(user: Any, text: str) -> PersonQuerySet:
    """Active records the user may know of that match ``text`` exactly."""
    query = parse(text)
    qs = Person.objects.visible_to(user).active()
    if "id_number" in query:
        return qs.by_id_number(query["id_number"])
    if "phone" in query:
        return qs.by_phone(query["phone"])
    if query.get("year"):
        return qs.by_name_year(query["name"], query["year"])
    from . import crypto

    return qs.filter(bi_name=crypto.blind("name", normalise.name(query["name"])) or "-")
