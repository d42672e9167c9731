"""Counts of people supported to rebuild their livelihood (người được hỗ trợ).

Plan 1842/KH-UBND, target I.2 (T7): "Hỗ trợ dạy nghề và giải quyết việc làm cho người bán
dâm tại cộng đồng, nơi cư trú"; II.1 and II.3.a (access to education, vocational training,
health care, legal aid, capital and jobs). Until person-level support cases exist, each
commune records only how many people received each kind of support in a period: counts,
never names (DESIGN.md §4).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from pcmd.core.concurrency import VersionedModel
from pcmd.core.models import TimeStampedModel
from pcmd.geo.models import Unit

# The kinds of support counted, in the order the pages and the API show them.
COUNT_FIELDS = [
    "vocational_training",
    "employment",
    "loans",
    "health_services",
    "legal_aid",
    "other_support",
]


class SupportCountQuerySet(models.QuerySet["SupportCount"]):
    def visible_to(self, user: Any) -> SupportCountQuerySet:
        if not getattr(user, "is_authenticated", False) or not user.can("support.view"):
            return self.none()
        return self.filter(user.scope_q("commune"), is_deleted=False)

    def editable_by(self, user: Any) -> SupportCountQuerySet:
        if not getattr(user, "is_authenticated", False) or not user.can("support.edit"):
            return self.none()
        return self.filter(user.scope_q("commune"), is_deleted=False)


class SupportCount(TimeStampedModel, VersionedModel):
    """How many people in a commune received each kind of support in a period."""

    # No index of its own: the two (commune, date) indexes below lead with it. With a
    # commune-only index beside them PostgreSQL read a province's every count through it
    # and filtered the period row by row (benchmarks/results/indicators-postgresql.txt).
    commune = models.ForeignKey(
        Unit,
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="support_counts",
        db_index=False,
    )
    period_start = models.DateField(_("period start"), db_index=True)
    period_end = models.DateField(_("period end"))
    vocational_training = models.PositiveIntegerField(_("vocational training"), default=0)
    employment = models.PositiveIntegerField(_("got a job"), default=0)
    loans = models.PositiveIntegerField(_("loans or capital"), default=0)
    health_services = models.PositiveIntegerField(_("health services"), default=0)
    legal_aid = models.PositiveIntegerField(_("legal aid"), default=0)
    other_support = models.PositiveIntegerField(_("other support"), default=0)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_deleted = models.BooleanField(default=False, editable=False)

    objects = SupportCountQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "commune__code", "pk"]
        verbose_name = _("support count")
        verbose_name_plural = _("support counts")
        indexes = [
            models.Index(fields=["commune", "period_start"]),
            models.Index(fields=["commune", "period_end"], name="supportcount_commune_end_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="support_period_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commune} {self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y}"


# --- case management (issue 13) -------------------------------------------------------------
# A support case follows one person (người được hỗ trợ) from intake to closure: consent per
# purpose (pcmd.people.consent), a needs assessment, goals, services delivered, referrals to
# other agencies or organisations, follow-up visits and transfers between units. Writes go
# through pcmd.support.cases; identities stay in the person layer (pcmd.people).


class CaseOrigin(models.TextChoices):
    POLICE = "police", _("handed over by the police")
    OUTREACH = "outreach", _("outreach")
    SELF = "self", _("came forward herself or himself")
    ORGANISATION = "organisation", _("referred by an organisation")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class CaseOutcome(models.TextChoices):
    STABLE_JOB = "stable_job", _("stable job or income")
    RETURNED_FAMILY = "returned_family", _("returned to the family")
    MOVED_AWAY = "moved_away", _("moved away")
    LOST = "lost", _("lost to follow-up")
    DECLINED = "declined", _("declined further support")
    OTHER = "other", _("other")


class SupportCaseQuerySet(models.QuerySet["SupportCase"]):
    def visible_to(self, user: Any) -> SupportCaseQuerySet:
        """Social workers and the standing office of the case's unit and the levels above
        (``support.cases``): a case transferred away leaves the old unit's sight."""
        from pcmd.accounts.permissions import holds, scope_q

        if user is None:
            return self
        if not holds(user, "support.cases"):
            return self.none()
        return self.filter(scope_q(user, "unit"))


class SupportCase(TimeStampedModel, VersionedModel):
    code = models.CharField(_("support case number"), max_length=30, unique=True, editable=False)
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="support_cases",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit in charge"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The commune or district whose social workers follow the case."),
    )
    origin = models.CharField(_("how the case came"), max_length=20, choices=CaseOrigin.choices)
    origin_note = models.CharField(
        _("referred by"), max_length=200, blank=True, help_text=_("Organisation or programme.")
    )
    referral = models.ForeignKey(
        "people.Referral",
        verbose_name=_("police hand-over"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("case worker"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervisor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_on = models.DateField(_("opened on"))
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=CaseOutcome.choices, blank=True)
    last_contact_on = models.DateField(_("last contact"), null=True, blank=True, editable=False)

    objects = SupportCaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("support case")
        verbose_name_plural = _("support cases")
        indexes = [
            models.Index(fields=["unit", "opened_on"]),
            models.Index(fields=["unit", "closed_on"], name="supportcase_unit_closed_idx"),
        ]

    def __str__(self) -> str:
        return self.code


class CaseTransfer(models.Model):
    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="transfers")
    from_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    from_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    to_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    on = models.DateField(_("transferred on"))
    reason = models.CharField(_("reason"), max_length=500)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["case", "on", "pk"]
        verbose_name = _("case transfer")
        verbose_name_plural = _("case transfers")

    def __str__(self) -> str:
        return f"{self.case.code} → {self.to_unit.code}"


class NeedLevel(models.TextChoices):
    NONE = "none", _("no need")
    SOME = "some", _("some need")
    URGENT = "urgent", _("urgent need")


# The needs domains of an assessment, in the order forms show them.
NEED_DOMAINS = ["health", "legal", "housing", "income", "family", "safety"]


class NeedsAssessment(models.Model):
    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="assessments")
    on = models.DateField(_("assessed on"))
    health = models.CharField(_("health"), max_length=10, choices=NeedLevel.choices)
    legal = models.CharField(_("legal matters"), max_length=10, choices=NeedLevel.choices)
    housing = models.CharField(_("housing"), max_length=10, choices=NeedLevel.choices)
    income = models.CharField(_("income and skills"), max_length=10, choices=NeedLevel.choices)
    family = models.CharField(_("family"), max_length=10, choices=NeedLevel.choices)
    safety = models.CharField(_("safety"), max_length=10, choices=NeedLevel.choices)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["case", "-on", "-pk"]
        verbose_name = _("needs assessment")
        verbose_name_plural = _("needs assessments")

    def __str__(self) -> str:
        return f"{self.case.code} {self.on:%d/%m/%Y}"


class GoalStatus(models.TextChoices):
    OPEN = "open", _("in progress")
    ACHIEVED = "achieved", _("achieved")
    DROPPED = "dropped", _("dropped")


class Goal(models.Model):
    """A goal of the service plan, with its date."""

    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="goals")
    domain = models.CharField(_("area"), max_length=10, choices=[(d, d) for d in NEED_DOMAINS])
    text = models.CharField(_("goal"), max_length=300)
    due_on = models.DateField(_("by"))
    status = models.CharField(
        _("status"), max_length=10, choices=GoalStatus.choices, default=GoalStatus.OPEN
    )

    class Meta:
        ordering = ["case", "due_on", "pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return f"{self.case.code} {self.domain}"


class ServiceType(models.Model):
    """Catalog of services (``data/services.yaml``)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("service type")
        verbose_name_plural = _("service types")

    def __str__(self) -> str:
        return self.name


class ServiceOutcome(models.TextChoices):
    ONGOING = "ongoing", _("ongoing")
    COMPLETED = "completed", _("completed")
    DROPPED = "dropped", _("stopped before the end")


class RepaymentStatus(models.TextChoices):
    ON_TIME = "on_time", _("repaying on time")
    LATE = "late", _("repayments late")
    REPAID = "repaid", _("repaid")


class Service(TimeStampedModel):
    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="services")
    type = models.ForeignKey(
        ServiceType, verbose_name=_("service"), on_delete=models.PROTECT, related_name="+"
    )
    provider = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("provider agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    provider_name = models.CharField(_("provider (other)"), max_length=200, blank=True)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    cost = models.DecimalField(
        _("cost (đồng)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=ServiceOutcome.choices, default=ServiceOutcome.ONGOING
    )
    course = models.CharField(_("course or trade"), max_length=200, blank=True)
    loan_amount = models.DecimalField(
        _("loan amount (đồng)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    lender = models.CharField(_("lender"), max_length=200, blank=True)
    loan_term_months = models.PositiveSmallIntegerField(_("term (months)"), null=True, blank=True)
    repayment = models.CharField(
        _("repayment"), max_length=10, choices=RepaymentStatus.choices, blank=True
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["case", "started_on", "pk"]
        verbose_name = _("service delivered")
        verbose_name_plural = _("services delivered")
        indexes = [
            models.Index(fields=["type", "started_on"]),
            models.Index(fields=["case", "started_on"], name="service_case_started_idx"),
        ]


class ServiceReferralStatus(models.TextChoices):
    SENT = "sent", _("sent")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    COMPLETED = "completed", _("service given, feedback returned")


class ServiceReferral(TimeStampedModel):
    """A referral of the case to an agency or organisation for a service."""

    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="referrals")
    type = models.ForeignKey(
        ServiceType, verbose_name=_("service"), on_delete=models.PROTECT, related_name="+"
    )
    to_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("to agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_name = models.CharField(
        _("to organisation"),
        max_length=200,
        help_text=_("The organisation the person consented to be referred to."),
    )
    sent_on = models.DateField(_("sent on"))
    due_on = models.DateField(_("answer due by"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ServiceReferralStatus.choices,
        default=ServiceReferralStatus.SENT,
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    feedback = models.CharField(_("feedback"), max_length=1000, blank=True)
    override = models.ForeignKey(
        "people.AccessException",
        verbose_name=_("sent without consent, reason"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["case", "-sent_on", "-pk"]
        verbose_name = _("service referral")
        verbose_name_plural = _("service referrals")


class FollowUp(models.Model):
    """A follow-up contact, scheduled (due) and then made (done)."""

    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="followups")
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    kind = models.CharField(
        _("contact"),
        max_length=10,
        choices=[
            ("visit", _("home visit")),
            ("call", _("phone call")),
            ("office", _("at the office")),
        ],
        blank=True,
    )
    note = models.CharField(_("note"), max_length=1000, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["case", "due_on", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        indexes = [models.Index(fields=["done_on", "due_on"])]

    def __str__(self) -> str:
        return f"{self.case.code} {self.due_on:%d/%m/%Y}"


# --- reappearance (sreceive) ----------------------------------------------------------------
# A person with a support case (open, or closed within the last 12 months) appears in a new
# sanction or criminal case: the case's worker and supervisor learn of it, with the module and
# the date only (pcmd.support.reappear).


class Reappearance(models.Model):
    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="reappearances")
    module = models.CharField(_("register"), max_length=20)
    source = models.CharField(max_length=60)
    on = models.DateField(_("on"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    seen_at = models.DateTimeField(_("seen at"), null=True, blank=True)
    seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["case", "-on", "-pk"]
        verbose_name = _("reappearance")
        verbose_name_plural = _("reappearances")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "module", "source"], name="support_reappearance_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case.code} {self.module} {self.on:%d/%m/%Y}"
