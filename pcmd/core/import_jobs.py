"""Long spreadsheet imports run as jobs, outside the request, with their progress.

A file of at least ``PCMD_IMPORT_BACKGROUND_ROWS`` data rows is not checked in the request:
:func:`start` stores it and records an :class:`~pcmd.core.models.ImportJob`, and the upload
page sends the official to the job page, which follows the job's progress. The job runs in a
thread started once the request's transaction has committed (``transaction.on_commit``), so
the demo server and a single production process need no broker; the command
``run_import_jobs`` runs the jobs still waiting (a process that stopped before its thread ran).

The job keeps the all-or-nothing rule of every import: :func:`run` checks every row first,
writing its progress after every few hundred rows, each write committed on its own (the check
itself only reads, so no write transaction is held while progress is written); then it saves
every row, and marks the job done, in ONE transaction. A job found "checking" or "saving" by a
process that is gone is marked stopped (:func:`fail_stale`): its transaction never committed,
so nothing of it was saved.

Each register declares its imports in ``pcmd/<app>/jobs.py`` as ``JOB_KINDS``; the key of a
kind starts with the app's name (``registry.establishments``).
"""

from __future__ import annotations

import datetime
import importlib
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import OperationalError, close_old_connections, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import audit, files
from .messages import bilingual
from .models import ImportJob, ImportJobStatus
from .xlsx_guard import WorkbookRefused
from .xlsx_import import MAX_PROBLEMS, Problem, data_rows

log = logging.getLogger(__name__)

Progress = Callable[[int], None]


@dataclass
class Outcome:
    """What saving a checked file gave: rows added and updated, or the problems found at the
    last moment (a duplicate recorded meanwhile), with nothing saved."""

    added: int = 0
    updated: int = 0
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class JobKind:
    """One register's import, as a job.

    ``check(data, actor, params, progress)`` returns ``(problems, checked)``: the problems of
    the file (none: ``checked`` is what ``save`` needs); it must only read. ``save(checked,
    actor, params, filename)`` writes every row (the runner wraps it in one transaction).
    """

    key: str
    title: Any
    capability: str
    check: Callable[[bytes, Any, dict[str, Any], Progress], tuple[list[Problem], Any]]
    save: Callable[[Any, Any, dict[str, Any], str], Outcome]
    done_url: Callable[[dict[str, Any]], str]
    upload_url: Callable[[dict[str, Any]], str]


def kind_for(key: str) -> JobKind:
    """The kind named ``key``, from ``pcmd.<app>.jobs.JOB_KINDS``; KeyError if unknown."""
    app = key.partition(".")[0]
    if not app.isidentifier():
        raise KeyError(key)
    try:
        module = importlib.import_module(f"pcmd.{app}.jobs")
    except ModuleNotFoundError:
        raise KeyError(key) from None
    kinds: dict[str, JobKind] = module.JOB_KINDS
    return kinds[key]


def threshold() -> int:
    return int(getattr(settings, "PCMD_IMPORT_BACKGROUND_ROWS", 2_000))


def runs_in_background(data: bytes) -> bool:
    """Whether an upload is long enough to become a job. A file the guard refuses is not:
    the page refuses it at once, as it refuses every malformed file."""
    try:
        return data_rows(data) >= threshold()
    except WorkbookRefused:
        return False


# --- starting --------------------------------------------------------------------------------


def start(
    key: str, data: bytes, *, actor: Any, filename: str = "", params: dict[str, Any] | None = None
) -> ImportJob:
    """Store the file and record a waiting job; its thread starts when the caller's
    transaction commits (the file leaves storage again if it rolls back)."""
    kind = kind_for(key)
    if not actor.can(kind.capability):  # the register's action checks the scope again
        raise PermissionDenied
    with transaction.atomic():
        job = ImportJob(
            kind=key, params=params or {}, created_by=actor, filename=filename[:255] or "import"
        )
        job.save()
        files.store(job.file, f"job-{job.pk}.xlsx", ContentFile(data))
        job.save(update_fields=["file"])
        audit.record(
            actor=actor,
            verb="import.job.start",
            obj=job,
            changes={"kind": [None, key], "file": [None, job.filename]},
        )
        if getattr(settings, "PCMD_IMPORT_THREADS", True):
            transaction.on_commit(lambda: launch(job.pk))
    return job


_running: set[int] = set()  # jobs whose thread runs in this process
_running_lock = threading.Lock()


def launch(pk: int) -> threading.Thread:
    """Run job ``pk`` in a thread of this process."""

    def target() -> None:
        close_old_connections()  # a fresh connection for this thread
        try:
            run(pk)
        finally:
            connections.close_all()

    thread = threading.Thread(target=target, name=f"import-job-{pk}", daemon=True)
    thread.start()
    return thread


# --- running ---------------------------------------------------------------------------------


def _worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _update(pk: int, **values: Any) -> None:
    """Write the job's state. SQLite answers "table is locked" at once (no busy wait) when
    another connection of a shared-cache database reads the table that instant — the job
    page polling its status — so a locked write is tried again for up to ~2 s."""
    for attempt in range(100):
        try:
            ImportJob.objects.filter(pk=pk).update(**values)
            return
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == 99 or not connection.get_autocommit():
                raise
            time.sleep(0.02)


def run(pk: int) -> ImportJob | None:
    """Check and save job ``pk`` (when it is still waiting); returns the finished job.

    The caller owns the database connection (the job thread opens its own; never close a
    connection here: inside a test's or a command's transaction that would lose it)."""
    now = timezone.now()
    claimed = ImportJob.objects.filter(pk=pk, status=ImportJobStatus.QUEUED).update(
        status=ImportJobStatus.CHECKING, worker=_worker(), started_at=now, heartbeat_at=now
    )
    if not claimed:
        return None
    with _running_lock:
        _running.add(pk)
    try:
        _run(ImportJob.objects.select_related("created_by").get(pk=pk))
    except Exception:  # noqa: BLE001 - whatever went wrong, the job must say it stopped
        log.exception("Import job %s failed.", pk)
        _stop(
            pk,
            _(
                "The import stopped because of an unexpected error; nothing was saved. "
                "Upload the file again, or tell the administrator if it happens again."
            ),
        )
    finally:
        with _running_lock:
            _running.discard(pk)
        _discard_file(pk)
    return ImportJob.objects.get(pk=pk)


def _run(job: ImportJob) -> None:
    kind = kind_for(job.kind)
    actor = job.created_by
    with job.file.open("rb") as stored:
        data = stored.read()
    try:
        total = data_rows(data)
    except WorkbookRefused as exc:
        _finish_refused(job.pk, [Problem(0, "", exc.texts["vi"], exc.texts["en"])])
        return
    _update(job.pk, rows_total=total)

    def progress(done: int) -> None:
        _update(job.pk, rows_done=min(done, total), heartbeat_at=timezone.now())

    try:
        if not actor.can(kind.capability):
            raise PermissionDenied
        problems, checked = kind.check(data, actor, job.params, progress)
    except PermissionDenied:
        _stop(job.pk, _("You may no longer import into this register; nothing was saved."))
        return
    if problems:
        _finish_refused(job.pk, problems, rows_done=total)
        return
    _update(job.pk, status=ImportJobStatus.SAVING, rows_done=total, heartbeat_at=timezone.now())
    with transaction.atomic():
        outcome = kind.save(checked, actor, job.params, job.filename)
        if outcome.problems:
            transaction.set_rollback(True)
        else:
            _update(
                job.pk,
                status=ImportJobStatus.DONE,
                summary={"added": outcome.added, "updated": outcome.updated},
                finished_at=timezone.now(),
            )
    if outcome.problems:
        _finish_refused(job.pk, outcome.problems, rows_done=total)


def _finish_refused(pk: int, problems: list[Problem], **values: Any) -> None:
    _update(
        pk,
        status=ImportJobStatus.DONE,
        problems=[p.as_dict() for p in problems[:MAX_PROBLEMS]],
        problems_total=len(problems),
        finished_at=timezone.now(),
        **values,
    )


def _stop(pk: int, message: Any) -> None:
    _update(
        pk,
        status=ImportJobStatus.FAILED,
        error=bilingual(message),
        finished_at=timezone.now(),
    )


def _discard_file(pk: int) -> None:
    """The uploaded file is not kept once its job has finished (it may name people)."""
    job = ImportJob.objects.filter(pk=pk).first()
    if job is None or not job.file or not job.finished:
        return
    try:
        job.file.storage.delete(str(job.file.name))
    except OSError:
        log.warning("Could not delete the file of import job %s.", pk)
    _update(pk, file="")


# --- jobs left behind ------------------------------------------------------------------------


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _abandoned(job: ImportJob, stale_before: datetime.datetime) -> bool:
    host, _sep, pid_text = job.worker.rpartition(":")
    if host == socket.gethostname() and pid_text.isdecimal():
        pid = int(pid_text)
        if pid == os.getpid():
            with _running_lock:
                return job.pk not in _running
        if not _alive(pid):
            return True
    return job.heartbeat_at is None or job.heartbeat_at < stale_before


def fail_stale() -> int:
    """Mark stopped the jobs left "checking" or "saving" by a process that is gone (or
    silent for ``PCMD_IMPORT_STALE_SECONDS``). Their save never committed: nothing of them
    was saved. Returns how many were marked."""
    seconds = int(getattr(settings, "PCMD_IMPORT_STALE_SECONDS", 900))
    stale_before = timezone.now() - datetime.timedelta(seconds=seconds)
    marked = 0
    running = ImportJob.objects.filter(
        status__in=[ImportJobStatus.CHECKING, ImportJobStatus.SAVING]
    )
    for job in running:
        if _abandoned(job, stale_before):
            _stop(
                job.pk,
                _(
                    "The import was interrupted (the server restarted); nothing was saved. "
                    "Upload the file again."
                ),
            )
            _discard_file(job.pk)
            marked += 1
    return marked


def run_waiting() -> list[ImportJob]:
    """Mark abandoned jobs stopped, then run every waiting job, oldest first."""
    fail_stale()
    finished = []
    waiting = ImportJob.objects.filter(status=ImportJobStatus.QUEUED).order_by("created_at", "pk")
    for pk in list(waiting.values_list("pk", flat=True)):
        job = run(pk)
        if job is not None:
            finished.append(job)
    return finished
