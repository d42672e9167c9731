"""Persons named by the registers (DESIGN.md §4; issue 11).

A person's identity fields are encrypted at rest (:mod:`pcmd.people.fields`); search and
duplicate detection use blind indexes. Everyone who may know that a record exists sees its
pseudonymous code (``ĐL-2018-000123``); the identity is shown only under
:mod:`pcmd.people.access`, and every showing is written to :class:`AccessLog`.

Where a person appears (a sanction, a referral, a case) is an :class:`Involvement`: a module
and the unit (and optionally the agency) responsible. Identity access follows involvements:
the police see the people of their sanctions and cases in their area; the standing office
and social workers see the people referred to them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.roles import MODULE_CASES, MODULE_ENFORCEMENT, MODULE_SUPPORT
from pcmd.core.concurrency import VersionedModel
from pcmd.core.models import TimeStampedModel
from pcmd.geo.models import Unit

from . import crypto, normalise
from .fields import EncryptedDateField, EncryptedIntegerField, EncryptedTextField

# The identity fields: encrypted, shown only under pcmd.people.access, never in the audit log.
IDENTITY_FIELDS = (
    "full_name",
    "other_names",
    "birth_date",
    "birth_year",
    "id_number",
    "phone",
    "ethnicity",
    "nationality",
    "permanent_address",
    "current_address",
)


class Sex(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")
    UNKNOWN = "unknown", _("not recorded")


class Module(models.TextChoices):
    ENFORCEMENT = MODULE_ENFORCEMENT, _("administrative sanctions")
    CASES = MODULE_CASES, _("criminal cases")
    SUPPORT = MODULE_SUPPORT, _("support and reintegration")


class PersonQuerySet(models.QuerySet["Person"]):
    def active(self) -> PersonQuerySet:
        """Records not merged into another one."""
        return self.filter(merged_into__isnull=True)

    def visible_to(self, user: Any) -> PersonQuerySet:
        """Records whose existence (code) the user may know: the people of the records the
        user may read. Identity is a further check (pcmd.people.access)."""
        from . import access

        return self.filter(access.existence_q(user)).distinct()

    def by_id_number(self, value: str) -> PersonQuerySet:
        return self.filter(bi_id_number=crypto.blind("id", normalise.id_number(value)) or "-")

    def by_phone(self, value: str) -> PersonQuerySet:
        return self.filter(bi_phone=crypto.blind("phone", normalise.phone(value)) or "-")

    def by_name_year(self, name: str, year: int | None) -> PersonQuerySet:
        return self.filter(
            bi_name_year=crypto.blind("name_year", normalise.name_year(name, year)) or "-"
        )


class Person(TimeStampedModel, VersionedModel):
    code = models.CharField(_("code"), max_length=30, unique=True, editable=False)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("recorded in"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The commune or district where the record was made."),
    )
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)

    full_name = EncryptedTextField(_("full name"))
    other_names = EncryptedTextField(_("other names"), blank=True)
    birth_date = EncryptedDateField(_("date of birth"), null=True, blank=True)
    birth_year = EncryptedIntegerField(_("year of birth"), null=True, blank=True)
    id_number = EncryptedTextField(
        _("ID number"), blank=True, help_text=_("CCCD (12 digits) or old CMND (9 digits).")
    )
    phone = EncryptedTextField(_("phone"), blank=True)
    ethnicity = EncryptedTextField(_("ethnicity"), blank=True)
    nationality = EncryptedTextField(_("nationality"), blank=True)
    permanent_unit = models.ForeignKey(
        Unit,
        verbose_name=_("permanent residence (commune)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    permanent_address = EncryptedTextField(_("permanent address"), blank=True)
    current_unit = models.ForeignKey(
        Unit,
        verbose_name=_("current residence (commune)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    current_address = EncryptedTextField(_("current address"), blank=True)

    # Blind indexes (pcmd.people.crypto.blind) of the normalised values.
    bi_id_number = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    bi_phone = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    bi_name_year = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    bi_name = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_records",
    )
    pseudonymised_at = models.DateTimeField(_("identity removed on"), null=True, blank=True)
    # Special protection (a person under 18 in a criminal case, set by that module): the
    # identity is never shown in lists, searches or the API, and on the person's own page
    # only after the reader writes why (pcmd.people.access.reveal).
    protected = models.BooleanField(_("under special protection (under 18)"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        # Never the name: str() ends up in audit rows, logs and error pages.
        return self.code

    def refresh_indexes(self) -> None:
        """Recompute the blind indexes from the (decrypted) identity values."""
        year = self.birth_year or (self.birth_date.year if self.birth_date else None)
        self.bi_id_number = crypto.blind("id", normalise.id_number(self.id_number or ""))
        self.bi_phone = crypto.blind("phone", normalise.phone(self.phone or ""))
        self.bi_name_year = crypto.blind("name_year", normalise.name_year(self.full_name, year))
        self.bi_name = crypto.blind("name", normalise.name(self.full_name or ""))

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pseudonymised_at is None:
            self.refresh_indexes()
        super().save(*args, **kwargs)

    @property
    def year(self) -> int | None:
        return self.birth_year or (self.birth_date.year if self.birth_date else None)


class PersonCodeCounter(models.Model):
    """The last sequence number given for a prefix (``ĐL-2018``)."""

    prefix = models.CharField(max_length=20, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix}: {self.last}"


class InvolvementQuerySet(models.QuerySet["Involvement"]):
    def current(self) -> InvolvementQuerySet:
        return self.filter(ended_on__isnull=True)


class Involvement(models.Model):
    """A person appears in a module's record, under a unit (and agency) that answers for it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="involvements")
    module = models.CharField(_("module"), max_length=20, choices=Module.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("responsible agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("When set, only this agency's officers of the unit see the identity."),
    )
    source = models.CharField(
        _("record"), max_length=80, help_text=_("The record naming the person, e.g. sanction:12.")
    )
    started_on = models.DateField(_("since"), default=timezone.localdate)
    ended_on = models.DateField(_("until"), null=True, blank=True)

    objects = InvolvementQuerySet.as_manager()

    class Meta:
        ordering = ["person", "started_on", "pk"]
        verbose_name = _("involvement")
        verbose_name_plural = _("involvements")
        indexes = [models.Index(fields=["module", "unit"])]

    def __str__(self) -> str:
        return f"{self.person.code} — {self.get_module_display()} ({self.source})"


class ExceptionKind(models.TextChoices):
    BREAK_GLASS = "break_glass", _("emergency access")
    CONSENT_OVERRIDE = "consent_override", _("action without consent")


class AccessException(models.Model):
    """Access or an action outside the rules, with a written reason, reviewed afterwards:
    emergency access to a person outside one's scope (time-limited), or a referral/share
    made without the person's consent."""

    kind = models.CharField(_("kind"), max_length=20, choices=ExceptionKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="exceptions"
    )
    reason = models.TextField(_("reason"))
    started_at = models.DateTimeField(_("from"), default=timezone.now, db_index=True)
    expires_at = models.DateTimeField(_("until"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed on"), null=True, blank=True)
    justified = models.BooleanField(_("justified"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("access exception")
        verbose_name_plural = _("access exceptions")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.person.code}"

    def is_active(self, now: Any = None) -> bool:
        now = now or timezone.now()
        return self.expires_at is None or self.expires_at > now


class Surface(models.TextChoices):
    PAGE = "page", _("page")
    API = "api", _("API")
    EXPORT = "export", _("export")
    DOCUMENT = "document", _("document")
    SEARCH = "search", _("search result")


class AccessLogQuerySet(models.QuerySet["AccessLog"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("The access log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The access log is append-only.")


class AccessLog(models.Model):
    """One row per showing of a person's identity. Append-only (model, queryset and a
    database trigger refuse updates and deletes)."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="reads"
    )
    surface = models.CharField(_("where"), max_length=20, choices=Surface.choices)
    path = models.CharField(_("address"), max_length=300, blank=True)
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    exception = models.ForeignKey(
        AccessException,
        verbose_name=_("under exception"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reads",
    )

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("identity access")
        verbose_name_plural = _("identity accesses")
        indexes = [models.Index(fields=["person", "at"]), models.Index(fields=["user", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.person.code} {self.surface}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("The access log is append-only.")


class PersonMerge(models.Model):
    """Two records found to be the same person: ``merged`` now points at ``kept``. The
    involvements moved are listed so an administrator can undo the merge."""

    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_kept")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_merged")
    moved_involvements = models.JSONField(default=list)
    # Other apps' rows moved by their merge hooks (pcmd.people.actions.register_merge_hook).
    moved_references = models.JSONField(default=dict)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("merge of person records")
        verbose_name_plural = _("merges of person records")

    def __str__(self) -> str:
        return f"{self.merged.code} → {self.kept.code}"


# --- privacy administration -------------------------------------------------------------
# Data-subject requests (Personal Data Protection Law 91/2025/QH15, in force 01/01/2026, and
# Decree 356/2025/NĐ-CP): pcmd.people.requests records and answers them.


class RequestKind(models.TextChoices):
    ACCESS = "access", _("access to one's data")
    CORRECTION = "correction", _("correction")
    DELETION = "deletion", _("deletion")
    OBJECTION = "objection", _("objection or restriction")
    WITHDRAWAL = "withdrawal", _("withdrawal of consent")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("received")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    REFUSED = "refused", _("refused")


OPEN_REQUEST_STATUSES = (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS)


class SubjectRequestQuerySet(models.QuerySet["SubjectRequest"]):
    def visible_to(self, user: Any) -> SubjectRequestQuerySet:
        """The register is for holders of ``people.requests`` (province-wide: a person may
        turn to any office)."""
        from pcmd.accounts.roles import Capability

        if user is None:
            return self
        if not getattr(user, "is_authenticated", False) or not user.can(Capability.MANAGE_REQUESTS):
            return self.none()
        return self

    def open(self) -> SubjectRequestQuerySet:
        return self.filter(status__in=OPEN_REQUEST_STATUSES)

    def overdue(self, today: Any = None) -> SubjectRequestQuerySet:
        return self.open().filter(deadline__lt=today or timezone.localdate())


class SubjectRequest(VersionedModel):
    """A request of a person about their own data. The requester's identity is checked
    offline (in person, with their ID card); the register names the person by code only."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="requests"
    )
    kind = models.CharField(_("request"), max_length=20, choices=RequestKind.choices)
    received_on = models.DateField(_("received on"), db_index=True)
    deadline = models.DateField(_("answer due by"), db_index=True)
    extended = models.BooleanField(_("deadline extended"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    outcome = models.TextField(_("outcome"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = SubjectRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.person.code}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REQUEST_STATUSES

    def is_overdue(self, today: Any = None) -> bool:
        return self.is_open and self.deadline < (today or timezone.localdate())


# --- consent and referrals ------------------------------------------------------------------
# Consent per purpose (issue 11 item 7) and the police → standing office hand-over of plan
# 1842 Section IV.2 (item 12). Writes go through pcmd.people.consent.


class ConsentPurpose(models.TextChoices):
    SUPPORT = "support", _("support services")
    REFERRAL = "referral", _("referral to a named service or organisation")
    SHARING = "sharing", _("sharing with a named organisation")
    # GBVIMS practice: a support case counts in statistics only when the person agreed.
    STATISTICS = "statistics", _("counting in anonymous statistics")


# Purposes that name the organisation the consent is for.
NAMED_PURPOSES = frozenset({ConsentPurpose.REFERRAL, ConsentPurpose.SHARING})


class ConsentQuerySet(models.QuerySet["Consent"]):
    def latest_first(self) -> ConsentQuerySet:
        return self.order_by("-on", "-pk")


class Consent(models.Model):
    """The person gave or withdrew consent for a purpose on a date. Rows are never changed:
    a withdrawal is a new row, and the current state of a purpose (and organisation) is its
    latest row."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="consents"
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        blank=True,
        help_text=_("The service or organisation the consent names (referral, sharing)."),
    )
    given = models.BooleanField(_("consent given"))
    on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["person", "purpose", "on"])]

    def __str__(self) -> str:
        state = "+" if self.given else "-"
        return f"{self.person.code} {self.purpose}{state} {self.on:%Y-%m-%d}"


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("sent")
    RECEIVED = "received", _("received")
    SUPPORT_STARTED = "support_started", _("support started")
    CLOSED = "closed", _("closed")


class ReferralQuerySet(models.QuerySet["Referral"]):
    def visible_to(self, user: Any) -> ReferralQuerySet:
        """The receiving standing office (its agency, in its scope), the social workers of
        the district it was assigned to, and the police of the unit that sent it."""
        from pcmd.accounts.roles import CAPABILITIES, IDENTITY_MODULES, Capability

        if user is None:
            return self.all()
        if not getattr(user, "is_authenticated", False):
            return self.none()
        q = models.Q(pk__in=[])
        for a in user.active_assignments:
            if Capability.VIEW_IDENTITY not in CAPABILITIES.get(a.role, ()):
                continue
            modules = IDENTITY_MODULES.get(a.role, frozenset())
            if MODULE_SUPPORT in modules:
                if a.agency_id is not None:
                    q |= models.Q(to_unit__path__startswith=a.unit.path, to_agency=a.agency_id)
                q |= models.Q(assigned_unit__path__startswith=a.unit.path)
            if MODULE_ENFORCEMENT in modules:
                q |= models.Q(from_unit__path__startswith=a.unit.path)
        return self.filter(q)

    def waiting(self) -> ReferralQuerySet:
        return self.filter(status=ReferralStatus.SENT)


class Referral(models.Model):
    """The police hand a sanctioned person over to the provincial standing office for
    outreach, education and support (plan 1842 IV.2), with the minimum fields: which record
    (sanction or violation) and a short reason."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="referrals"
    )
    from_unit = models.ForeignKey(
        Unit, verbose_name=_("from unit"), on_delete=models.PROTECT, related_name="+"
    )
    from_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("from agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_unit = models.ForeignKey(
        Unit, verbose_name=_("to unit"), on_delete=models.PROTECT, related_name="+"
    )
    to_agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("to agency"), on_delete=models.PROTECT, related_name="+"
    )
    sent_on = models.DateField(_("sent on"), default=timezone.localdate, db_index=True)
    source = models.CharField(
        _("sanction or violation"),
        max_length=80,
        help_text=_("The record the person was sanctioned in, e.g. sanction:12."),
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    received_on = models.DateField(_("received on"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_unit = models.ForeignKey(
        Unit,
        verbose_name=_("assigned to (district)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_on = models.DateField(_("assigned on"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    override = models.ForeignKey(
        AccessException,
        verbose_name=_("assigned without consent under"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_on", "-pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [models.Index(fields=["to_agency", "status"])]

    def __str__(self) -> str:
        return f"{self.person.code} ({self.sent_on:%d/%m/%Y})"

    @property
    def source_tag(self) -> str:
        """The ``source`` of the involvements this referral creates."""
        return f"referral:{self.pk}"
