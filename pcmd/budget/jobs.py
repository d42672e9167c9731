"""The budget-line import as a background job (``pcmd.core.import_jobs``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pcmd.core.import_jobs import JobKind, Outcome, Progress
from pcmd.core.xlsx_import import Problem

from . import actions, imports


def _check(
    data: bytes, actor: Any, params: dict[str, Any], progress: Progress
) -> tuple[list[Problem], Any]:
    result = imports.parse(data, actor=actor, progress=progress)
    return result.problems, result.rows


def _save(rows: Any, actor: Any, params: dict[str, Any], filename: str) -> Outcome:
    return Outcome(added=actions.import_budget_lines(rows, actor=actor))


JOB_KINDS = {
    "budget.lines": JobKind(
        key="budget.lines",
        title=_("Import budget lines"),
        capability="budget.edit",
        check=_check,
        save=_save,
        done_url=lambda params: reverse("budget:list"),
        upload_url=lambda params: reverse("budget:import"),
    ),
}
