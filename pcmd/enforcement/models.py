"""Violations and administrative sanctions (plan 1842/KH-UBND I.2, II.3.b, IV.2: "xử lý
nghiêm minh 100% số vụ việc"; IV.2 asks the police for counts of warnings and fines).

Violation types and their fine ranges are a catalog with the legal basis of each row
(Decree 167/2013/NĐ-CP until 31/12/2021, Decree 144/2021/NĐ-CP from 01/01/2022, Decree
282/2025/NĐ-CP from 15/12/2025), edited by administrators, never constants in code. No
person names on a violation: it carries the kind of subject and a count of people; a sanction
decision names the persons sanctioned through :class:`SanctionedPerson` (encrypted identities
in :mod:`pcmd.people`, DESIGN.md §4).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from pcmd.core.concurrency import VersionedModel
from pcmd.core.models import TimeStampedModel
from pcmd.geo.models import Unit
from pcmd.inspections.models import Team

from .catalog import LegalMaximum, legal_maxima

if TYPE_CHECKING:
    from django import forms


class SubjectKind(models.TextChoices):
    INDIVIDUAL = "individual", _("individual")
    ORGANISATION = "organisation", _("organisation")


class ViolationTypeQuerySet(models.QuerySet["ViolationType"]):
    def visible_to(self, user: Any) -> ViolationTypeQuerySet:
        """The catalog is reference data for every signed-in user."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self

    def valid_on(self, on: datetime.date) -> ViolationTypeQuerySet:
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=on),
            Q(valid_to__isnull=True) | Q(valid_to__gte=on),
        )

    def in_force_on(self, on: datetime.date) -> ViolationTypeQuerySet:
        """The catalog version in force on a day: rows in use whose validity covers it."""
        return self.filter(is_active=True).valid_on(on)

    def in_force_during(self, start: datetime.date, end: datetime.date) -> ViolationTypeQuerySet:
        """Rows in use in force on at least one day between ``start`` and ``end``."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=end),
            Q(valid_to__isnull=True) | Q(valid_to__gte=start),
            is_active=True,
        )


class ViolationType(VersionedModel):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    document = models.CharField(
        _("legal document"), max_length=120, help_text=_("E.g. Nghị định 144/2021/NĐ-CP.")
    )
    article = models.CharField(_("article"), max_length=10)
    clause = models.CharField(_("clause"), max_length=10, blank=True)
    point = models.CharField(_("point"), max_length=10, blank=True)
    valid_from = models.DateField(_("in force from"), null=True, blank=True)
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    warning_allowed = models.BooleanField(
        _("warning allowed"),
        default=False,
        help_text=_("The provision allows a warning instead of a fine."),
    )
    fine_min_individual = models.PositiveBigIntegerField(
        _("minimum fine, individual (VND)"), null=True, blank=True
    )
    fine_max_individual = models.PositiveBigIntegerField(
        _("maximum fine, individual (VND)"), null=True, blank=True
    )
    fine_min_organisation = models.PositiveBigIntegerField(
        _("minimum fine, organisation (VND)"), null=True, blank=True
    )
    fine_max_organisation = models.PositiveBigIntegerField(
        _("maximum fine, organisation (VND)"), null=True, blank=True
    )
    additional_measures = models.TextField(_("additional measures provided"), blank=True)
    source = models.TextField(
        _("source"), blank=True, help_text=_("Where the text and the amounts were taken from.")
    )
    verified = models.BooleanField(
        _("checked against the official text"),
        default=False,
        help_text=_(
            "Untick while the amounts still need checking against the official gazette text."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = ViolationTypeQuerySet.as_manager()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("violation type")
        verbose_name_plural = _("violation types")
        constraints = [
            models.CheckConstraint(
                condition=Q(fine_min_individual__isnull=True)
                | Q(fine_max_individual__isnull=True)
                | Q(fine_min_individual__lte=models.F("fine_max_individual")),
                name="violation_type_individual_range",
            ),
            models.CheckConstraint(
                condition=Q(fine_min_organisation__isnull=True)
                | Q(fine_max_organisation__isnull=True)
                | Q(fine_min_organisation__lte=models.F("fine_max_organisation")),
                name="violation_type_organisation_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.legal_reference})"

    @property
    def display_name(self) -> str:
        """The English name when the page is in English (catalog data is Vietnamese)."""
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name

    @property
    def legal_reference(self) -> str:
        parts = []
        if self.point:
            parts.append(f"điểm {self.point}")
        if self.clause:
            parts.append(f"khoản {self.clause}")
        parts.append(f"Điều {self.article}")
        return " ".join(parts) + f" {self.document}"

    def fine_range(self, subject_kind: str) -> tuple[int | None, int | None]:
        if subject_kind == SubjectKind.ORGANISATION:
            return self.fine_min_organisation, self.fine_max_organisation
        return self.fine_min_individual, self.fine_max_individual

    @property
    def statutory_maximum(self) -> LegalMaximum | None:
        """The highest fine of this row's decree (Law Art. 24), if the catalog knows it."""
        return legal_maxima().get(self.document)

    def legal_maximum(self, subject_kind: str) -> int | None:
        cap = self.statutory_maximum
        if cap is None:
            return None
        return cap.organisation if subject_kind == SubjectKind.ORGANISATION else cap.individual

    def allowed_fine_range(self, subject_kind: str) -> tuple[int | None, int | None]:
        """The catalog range, its maximum capped by the decree's statutory maximum."""
        low, high = self.fine_range(subject_kind)
        limit = self.legal_maximum(subject_kind)
        if high is not None and limit is not None:
            high = min(high, limit)
        return low, high

    def applies_to(self, subject_kind: str) -> bool:
        low, high = self.fine_range(subject_kind)
        return (low is not None and high is not None) or (
            self.warning_allowed and subject_kind == SubjectKind.INDIVIDUAL
        )

    def is_valid_on(self, on: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or self.valid_to >= on
        )


class ViolationQuerySet(models.QuerySet["Violation"]):
    def visible_to(self, user: Any) -> ViolationQuerySet:
        if not getattr(user, "is_authenticated", False) or not user.can("enforcement.view"):
            return self.none()
        return self.filter(user.scope_q("commune"), is_deleted=False)

    def editable_by(self, user: Any) -> ViolationQuerySet:
        if not getattr(user, "is_authenticated", False) or not user.can("enforcement.edit"):
            return self.none()
        # a violation found by an inspection belongs to the team (pcmd.accounts.policy)
        return self.filter(user.scope_q("commune"), is_deleted=False).filter(
            Q(inspection__isnull=True) | Q(inspection__team__in=Team.objects.editable_by(user))
        )


class Violation(TimeStampedModel, VersionedModel):
    """A violation found in an inspection, a patrol or otherwise. Counts, no names."""

    violation_type = models.ForeignKey(
        ViolationType,
        verbose_name=_("violation type"),
        on_delete=models.PROTECT,
        related_name="violations",
    )
    date = models.DateField(_("date"), db_index=True)
    commune = models.ForeignKey(
        Unit, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="violations"
    )
    establishment = models.ForeignKey(
        "registry.Establishment",
        verbose_name=_("establishment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="violations",
    )
    inspection = models.ForeignKey(
        "inspections.Inspection",
        verbose_name=_("inspection"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="violations",
    )
    subject_kind = models.CharField(_("subject"), max_length=20, choices=SubjectKind.choices)
    people_count = models.PositiveIntegerField(
        _("people involved"),
        default=1,
        help_text=_("How many people; never their names (person records come later, encrypted)."),
    )
    description = models.TextField(_("description"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_deleted = models.BooleanField(default=False, editable=False)

    objects = ViolationQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        indexes = [
            models.Index(fields=["commune", "date"]),
            models.Index(fields=["establishment", "date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(people_count__gte=1), name="violation_people_at_least_one"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.violation_type.name}"


class SanctionForm(models.TextChoices):
    WARNING = "warning", _("warning")
    FINE = "fine", _("fine")


class SanctionStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    PAID = "paid", _("fine paid")
    ENFORCED = "enforced", _("enforced")
    APPEALED = "appealed", _("appealed")
    CANCELLED = "cancelled", _("cancelled")


class SanctionQuerySet(models.QuerySet["Sanction"]):
    def visible_to(self, user: Any) -> SanctionQuerySet:
        if not getattr(user, "is_authenticated", False) or not user.can("enforcement.view"):
            return self.none()
        return self.filter(user.scope_q("violation__commune"), violation__is_deleted=False)

    def editable_by(self, user: Any) -> SanctionQuerySet:
        return self.filter(violation__in=Violation.objects.editable_by(user))


class Sanction(TimeStampedModel, VersionedModel):
    """A sanction decision (quyết định xử phạt vi phạm hành chính) for one violation."""

    violation = models.ForeignKey(
        Violation, verbose_name=_("violation"), on_delete=models.PROTECT, related_name="sanctions"
    )
    number = models.CharField(_("decision number"), max_length=60)
    date = models.DateField(_("decision date"))  # indexed with its ids: Meta.indexes
    authority = models.CharField(
        _("issued by"),
        max_length=200,
        help_text=_(
            "Title of the person with sanctioning power, e.g. Chủ tịch UBND phường Tân Lập."
        ),
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sanctions",
    )
    form = models.CharField(_("main sanction"), max_length=20, choices=SanctionForm.choices)
    amount = models.PositiveBigIntegerField(_("fine (VND)"), null=True, blank=True)
    suspension_months = models.PositiveSmallIntegerField(
        _("suspension of activity (months)"), null=True, blank=True
    )
    licence_withdrawal_months = models.PositiveSmallIntegerField(
        _("licence withdrawn (months)"), null=True, blank=True
    )
    confiscation = models.BooleanField(_("confiscation of exhibits"), default=False)
    other_measures = models.TextField(_("other measures"), blank=True)
    # Current state; the history is in SanctionStatusChange.
    status = models.CharField(
        _("enforcement status"),
        max_length=20,
        choices=SanctionStatus.choices,
        default=SanctionStatus.PENDING,
    )
    status_since = models.DateField(_("status since"))
    received_on = models.DateField(
        _("decision received on"),
        null=True,
        blank=True,
        help_text=_("The day the person sanctioned received the decision (default: its date)."),
    )
    # Computed by pcmd.enforcement.persons.refresh_dates on every change (pcmd.enforcement.legal).
    payment_deadline = models.DateField(_("pay by"), null=True, blank=True, editable=False)
    clean_from = models.DateField(
        _("deemed never sanctioned from"), null=True, blank=True, editable=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # Set on the sanctions a violation page shows: the status form, or None when read-only.
    status_form: forms.Form | None

    objects = SanctionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("sanction decision")
        verbose_name_plural = _("sanction decisions")
        # The indicator engine counts sanctions and their persons by the violation's commune
        # and the decision's date. On PostgreSQL both indexes carry the ids the count joins
        # on, so either plan the planner picks can count from the index alone (a vacuumed
        # table; a breakdown by agency still reads the rows): from a territory's violations,
        # (violation, date) -> id; from a year's decisions, date -> (violation, id). Without
        # them the persons of a province's sanctions took up to 2x the hand SQL
        # (benchmarks/results/indicators-postgresql.txt). SQLite ignores INCLUDE (W040 is
        # silenced for it in config/settings.py).
        indexes = [
            models.Index(
                fields=["violation", "date"], include=["id"], name="sanction_violation_date_idx"
            ),
            models.Index(
                fields=["date"], include=["violation", "id"], name="sanction_date_cover_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.date:%d/%m/%Y})"


class SanctionStatusChange(models.Model):
    sanction = models.ForeignKey(Sanction, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(_("status"), max_length=20, choices=SanctionStatus.choices)
    on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["sanction", "on", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.sanction} {self.get_status_display()} {self.on:%d/%m/%Y}"


class PersonRole(models.TextChoices):
    """What the person named on a decision did (the hand-over to support follows ``selling``)."""

    SELLING = "selling", _("selling sex")
    BUYING = "buying", _("buying sex")
    ORGANISING = "organising", _("harbouring, brokering or organising")
    OTHER = "other", _("other")


class SanctionedPerson(models.Model):
    """A person named on a sanction decision (an individual subject).

    ``clean_from`` is the day from which this person counts as never sanctioned under this
    decision (Law 15/2012 Art. 7(1)); it is empty while unknown or when the person re-offended
    within the period. Kept current by :mod:`pcmd.enforcement.persons`.
    """

    sanction = models.ForeignKey(
        Sanction, on_delete=models.CASCADE, related_name="named_persons", verbose_name=_("decision")
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="sanctions",
        verbose_name=_("person"),
    )
    role = models.CharField(_("act"), max_length=20, choices=PersonRole.choices)
    clean_from = models.DateField(
        _("deemed never sanctioned from"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sanction", "pk"]
        verbose_name = _("person sanctioned")
        verbose_name_plural = _("persons sanctioned")
        constraints = [
            models.UniqueConstraint(fields=["sanction", "person"], name="sanctioned_person_once")
        ]

    def __str__(self) -> str:
        # The code, never the name (pcmd.people.models.Person.__str__).
        return f"{self.sanction.number} — {self.person.code}"
