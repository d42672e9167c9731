"""The establishment import as a background job (``pcmd.core.import_jobs``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pcmd.core.import_jobs import JobKind, Outcome, Progress
from pcmd.core.xlsx_import import Problem

from . import actions, importer


def _check(
    data: bytes, actor: Any, params: dict[str, Any], progress: Progress
) -> tuple[list[Problem], Any]:
    checked = importer.check_file(data, actor=actor, progress=progress)
    return checked.problems, checked


def _save(checked: Any, actor: Any, params: dict[str, Any], filename: str) -> Outcome:
    outcome = actions.save_checked_import(checked, actor=actor, filename=filename)
    return Outcome(added=len(outcome.created), problems=outcome.problems)


JOB_KINDS = {
    "registry.establishments": JobKind(
        key="registry.establishments",
        title=_("Import establishments"),
        capability=actions.EDIT,
        check=_check,
        save=_save,
        done_url=lambda params: reverse("registry:list"),
        upload_url=lambda params: reverse("registry:import"),
    ),
}
