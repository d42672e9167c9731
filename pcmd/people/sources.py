"""Where a person appears, as officials read it: an involvement's ``source`` ("sanction:12",
"referral:3", "manual:7") in words, and the page of that record. Apps that name persons
register how to reach their records (from ``AppConfig.ready``); the person page links a
record only when the reader may open that page."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LABELS: dict[str, Promise] = {
    "sanction": _("sanction decision"),
    "violation": _("violation"),
    "referral": _("referral from the police"),
    "manual": _("recorded on the person page"),
}
LINKS: dict[str, Callable[[int], str | None]] = {
    "referral": lambda pk: reverse("people:referral", args=[pk]),
}


def register(kind: str, label: Promise, link: Callable[[int], str | None]) -> None:
    LABELS[kind] = label
    LINKS[kind] = link


def split(source: str) -> tuple[str, int | None]:
    kind, _sep, ref = source.partition(":")
    return kind, int(ref) if ref.isdecimal() and len(ref) <= 10 else None


def label(source: str) -> str:
    kind, _ref = split(source)
    return str(LABELS.get(kind, _("another record")))


def in_words(source: str) -> str:
    """ "sanction:12" → "quyết định xử phạt (số 12 trong hệ thống)"."""
    _kind, ref = split(source)
    if ref is None:
        return label(source)
    return str(_("%(record)s (no. %(ref)d in the system)") % {"record": label(source), "ref": ref})


def link(source: str) -> str | None:
    kind, ref = split(source)
    if ref is None or kind not in LINKS:
        return None
    return LINKS[kind](ref)
