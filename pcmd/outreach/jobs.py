"""The communication-activity import as a background job (``pcmd.core.import_jobs``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pcmd.core.import_jobs import JobKind, Outcome, Progress
from pcmd.core.xlsx_import import Problem

from . import actions
from .imports import parse_activities


def _check(
    data: bytes, actor: Any, params: dict[str, Any], progress: Progress
) -> tuple[list[Problem], Any]:
    result = parse_activities(data, actor, progress=progress)
    return result.problems, result.rows


def _save(rows: Any, actor: Any, params: dict[str, Any], filename: str) -> Outcome:
    return Outcome(added=actions.save_activities(rows, actor=actor).saved)


JOB_KINDS = {
    "outreach.activities": JobKind(
        key="outreach.activities",
        title=_("Import communication activities"),
        capability="outreach.edit",
        check=_check,
        save=_save,
        done_url=lambda params: reverse("outreach:list"),
        upload_url=lambda params: reverse("outreach:activity_import"),
    ),
}
