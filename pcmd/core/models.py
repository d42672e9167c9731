"""Shared base models and the append-only audit log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def visible_to(self, user: Any) -> AuditEventQuerySet:
        if getattr(user, "is_authenticated", False) and user.is_administrator:
            return self
        return self.none()

    def update(self, **kwargs: Any) -> int:
        raise PermissionError("The audit log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit log is append-only.")


class AuditEvent(models.Model):
    """One row per write: who did what to which record, and what changed.

    Rows are never updated or deleted (model and queryset refuse it).
    """

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("user name"), max_length=150, blank=True)
    verb = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("record type"), max_length=80, db_index=True)
    object_id = models.CharField(_("record id"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("record"), max_length=300, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.verb} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit log is append-only.")


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", _("waiting to start")
    CHECKING = "checking", _("checking the rows")
    SAVING = "saving", _("saving")
    DONE = "done", _("finished")
    FAILED = "failed", _("stopped")


class ImportJobQuerySet(models.QuerySet["ImportJob"]):
    def visible_to(self, user: Any) -> ImportJobQuerySet:
        """The uploader sees their own jobs; administrators see every job."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_administrator:
            return self
        return self.filter(created_by=user)


class ImportJob(models.Model):
    """A long spreadsheet import checked and saved outside the request (all rows or none).

    ``kind`` names the register's import (``pcmd.<app>.jobs.JOB_KINDS``); ``params`` what the
    upload form chose (a year, …). ``problems`` holds the row/column problems in both
    languages when the file was refused; ``summary`` what was saved; ``error`` why a job
    stopped without an answer (both languages)."""

    kind = models.CharField(_("kind"), max_length=60)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", blank=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ImportJobStatus.choices,
        default=ImportJobStatus.QUEUED,
        db_index=True,
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows checked"), default=0)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    problems_total = models.PositiveIntegerField(_("number of problems"), default=0)
    summary = models.JSONField(_("result"), default=dict, blank=True)
    error = models.JSONField(_("error"), default=dict, blank=True)
    worker = models.CharField(_("worker"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last progress at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return f"{self.kind} {self.filename} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (ImportJobStatus.DONE, ImportJobStatus.FAILED)

    @property
    def saved(self) -> bool:
        return self.status == ImportJobStatus.DONE and not self.problems_total


class TableStamp(models.Model):
    """Random values per table (a few slots each), rewritten by a database trigger in the same
    statement as any write to that table (:mod:`pcmd.core.stamps`): kept answers record the
    stamps of the tables they read and are used only while those stamps are unchanged."""

    name = models.CharField(max_length=63)
    slot = models.PositiveSmallIntegerField(default=0)
    stamp = models.CharField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "slot"], name="core_tablestamp_name_slot")
        ]

    def __str__(self) -> str:
        return f"{self.name}#{self.slot}"
