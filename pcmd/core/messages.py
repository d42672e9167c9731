"""Messages in both languages, for API errors and file-import reports."""

from __future__ import annotations

from typing import Any

from django.utils import translation


def bilingual(message: Any, **params: Any) -> dict[str, str]:
    """Render a lazy gettext message in Vietnamese and English: ``{"vi": …, "en": …}``."""
    out = {}
    for lang in ("vi", "en"):
        with translation.override(lang):
            text = str(message)
            out[lang] = text % params if params else text
    return out
