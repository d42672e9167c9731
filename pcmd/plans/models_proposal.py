"""A proposed plan read from a document (pcmd.plans.proposal), kept for its review.

The proposal is the reader's output as JSON: every item with its source sentence, confidence
and reason, and the paragraphs it did not use. Only its owner sees it (it may hold a draft
nobody else has read yet); accepting it creates a draft plan (``plan``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProposalSource(models.TextChoices):
    DOCX = "docx", _("Word document")
    TEXT = "text", _("pasted text")


class PlanProposalQuerySet(models.QuerySet["PlanProposal"]):
    def visible_to(self, user: Any) -> PlanProposalQuerySet:
        """A user's own proposals."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(owner=user)


class PlanProposal(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="plan_proposals",
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    source = models.CharField(_("source"), max_length=10, choices=ProposalSource.choices)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    unit = models.ForeignKey(
        "geo.Unit",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposal = models.JSONField(_("proposal"))
    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("draft plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )

    objects = PlanProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("plan proposal")
        verbose_name_plural = _("plan proposals")

    def __str__(self) -> str:
        title = (self.proposal or {}).get("header", {}).get("title", {}).get("value")
        return str(title or self.filename or _("proposal %(n)s") % {"n": self.pk})
