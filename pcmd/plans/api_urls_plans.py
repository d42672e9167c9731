"""URL routes of one part of the plans app (see pcmd/plans/urls.py)."""

from __future__ import annotations

from typing import Any

urlpatterns: list[Any] = []
