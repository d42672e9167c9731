"""Criminal cases and rings (issue 12): the case file from detection to judgment.

A ``Case`` (vụ việc, and once opened vụ án) is detected in a commune by an agency. Its
procedure is a chain of ``Step`` rows, one per stage it went through (received → investigation
→ prosecution → trial preparation → trial → enforcement, returns included): each step has an
owner agency kind (police, procuracy, court), a clock (start, due date from
``data/deadlines.yaml``, extensions) and, once decided, a decision. The case keeps its current
stage, and — from the first terminal decision — its outcome and the day it was handled, which
the indicators count (T4 of plan 1842).

Persons appear through ``CaseParty`` (a person of the person layer, with their role in the
trade and their standing in the procedure); a person who sells sex is a victim or a witness,
never a suspect or defendant (:mod:`pcmd.cases.rules`). A ``Ring`` links persons with roles,
establishments and cases across communes. Names are never stored here: titles describe the
case, persons are codes until the person layer reveals them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.permissions import scope_q
from pcmd.core.concurrency import VersionedModel
from pcmd.core.models import TimeStampedModel
from pcmd.geo.models import Unit

from .legal import Category


class Offence(models.Model):
    """One clause of the Penal Code (catalog data, ``data/offences.yaml``)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    article = models.PositiveSmallIntegerField(_("article"))
    clause = models.PositiveSmallIntegerField(_("clause"))
    title = models.CharField(_("offence"), max_length=300)
    prison_min_months = models.PositiveSmallIntegerField(_("minimum prison term (months)"))
    prison_max_months = models.PositiveSmallIntegerField(_("maximum prison term (months)"))
    life = models.BooleanField(_("up to life imprisonment"), default=False)
    category = models.CharField(_("category of crime"), max_length=30, choices=Category.choices)
    minor_victim = models.BooleanField(_("the victim is under 18 by definition"), default=False)
    source = models.CharField(_("legal source"), max_length=300)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("offence")
        verbose_name_plural = _("offences")

    def __str__(self) -> str:
        return f"Điều {self.article} khoản {self.clause} — {self.title}"


class Stage(models.TextChoices):
    RECEIVED = "received", _("report received, being verified")
    INVESTIGATION = "investigation", _("investigation")
    PROSECUTION = "prosecution", _("procuracy: decision to prosecute")
    TRIAL_PREPARATION = "trial_preparation", _("court: trial preparation")
    TRIAL = "trial", _("court: trial")
    ENFORCEMENT = "enforcement", _("enforcement of the judgment")
    CLOSED = "closed", _("case closed")


class Owner(models.TextChoices):
    POLICE = "police", _("police")
    PROCURACY = "procuracy", _("procuracy")
    COURT = "court", _("court")


class Decision(models.TextChoices):
    # received
    OPEN = "open", _("case opened (khởi tố vụ án)")
    NOT_OPEN = "not_open", _("decision not to open a case, with reasons")
    TRANSFER_ADMIN = "transfer_admin", _("transferred for administrative sanction")
    # investigation
    PROPOSE_PROSECUTION = "propose", _("investigation concluded, prosecution proposed")
    DISCONTINUE = "discontinue", _("investigation discontinued, with reasons")
    # prosecution
    INDICT = "indict", _("decision to prosecute (indictment)")
    NOT_PROSECUTE = "not_prosecute", _("decision not to prosecute, with reasons")
    RETURN = "return", _("returned for further investigation")
    # trial preparation
    BRING_TO_TRIAL = "bring_to_trial", _("decision to bring the case to trial")
    # trial
    JUDGMENT = "judgment", _("judgment delivered")
    # enforcement
    ENFORCE = "enforce", _("decision to enforce the judgment")
    # any stage
    SUSPEND = "suspend", _("suspended, with reasons")
    RESUME = "resume", _("resumed")


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user: Any) -> CaseQuerySet:
        """Case files for the police, procuracy and court users in scope (``cases.view``)."""
        from pcmd.accounts.permissions import holds

        if user is None:
            return self
        if not holds(user, "cases.view"):
            return self.none()
        return self.filter(scope_q(user, "commune"))


class Case(TimeStampedModel, VersionedModel):
    code = models.CharField(_("case number"), max_length=30, unique=True, editable=False)
    title = models.CharField(
        _("summary"),
        max_length=300,
        help_text=_("What happened and where, without names (e.g. brothel at a karaoke bar)."),
    )
    commune = models.ForeignKey(
        Unit,
        verbose_name=_("commune where it happened"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": 3},
    )
    detected_on = models.DateField(_("detected or reported on"))
    detected_by = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("detected by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    origin = models.CharField(
        _("how it came to light"),
        max_length=20,
        choices=[
            ("denunciation", _("denunciation or crime report")),
            ("inspection", _("inspection")),
            ("patrol", _("patrol or own detection")),
            ("transfer", _("transferred by another agency")),
        ],
        default="patrol",
    )
    offences = models.ManyToManyField(
        Offence, verbose_name=_("offences"), blank=True, related_name="cases"
    )
    ring = models.ForeignKey(
        "Ring",
        verbose_name=_("ring"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    establishments = models.ManyToManyField(
        "registry.Establishment", verbose_name=_("establishments"), blank=True, related_name="+"
    )
    hotspots = models.ManyToManyField(
        "hotspots.Hotspot", verbose_name=_("hotspots"), blank=True, related_name="+"
    )
    inspections = models.ManyToManyField(
        "inspections.Inspection", verbose_name=_("inspections"), blank=True, related_name="+"
    )
    violations = models.ManyToManyField(
        "enforcement.Violation",
        verbose_name=_("administrative violations"),
        blank=True,
        related_name="+",
        help_text=_("The violation records of a case transferred for administrative sanction."),
    )
    # kept by pcmd.cases.actions from the steps
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.RECEIVED, editable=False
    )
    category = models.CharField(
        _("category of crime"),
        max_length=30,
        choices=Category.choices,
        blank=True,
        editable=False,
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Decision.choices, blank=True, editable=False
    )
    handled_on = models.DateField(_("handled on"), null=True, blank=True, editable=False)
    has_minor = models.BooleanField(_("a person under 18 is involved"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-detected_on", "-pk"]
        verbose_name = _("criminal case")
        verbose_name_plural = _("criminal cases")
        indexes = [
            models.Index(fields=["commune", "detected_on"]),
            models.Index(fields=["commune", "handled_on"]),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_handled(self) -> bool:
        return self.handled_on is not None

    def current_step(self) -> Step | None:
        return self.steps.filter(decided_on__isnull=True).order_by("-pk").first()


class PartyRole(models.TextChoices):
    """What the person did in the trade (plan 1842, target 4)."""

    OWNER = "owner", _("brothel keeper (chủ chứa)")
    BROKER = "broker", _("broker (môi giới)")
    PROTECTOR = "protector", _("protector (bảo kê)")
    PIMP = "pimp", _("procurer (chăn dắt)")
    LENDER = "lender", _("usurious lender to people selling sex")
    BUYER = "buyer", _("buyer of sex")
    SELLER = "seller", _("person selling sex")
    OTHER = "other", _("other person involved")


class Standing(models.TextChoices):
    """The person's standing in the procedure."""

    SUSPECT = "suspect", _("person reported or held (người bị tố giác, bị giữ)")
    ACCUSED = "accused", _("accused (bị can)")
    DEFENDANT = "defendant", _("defendant (bị cáo)")
    VICTIM = "victim", _("victim (bị hại)")
    WITNESS = "witness", _("witness")
    RELATED = "related", _("person with related rights or duties")


# Standings of a person prosecuted; people who sell sex never hold them.
PROSECUTED = frozenset({Standing.SUSPECT, Standing.ACCUSED, Standing.DEFENDANT})


class CaseParty(TimeStampedModel):
    case = models.ForeignKey(
        Case, verbose_name=_("criminal case"), on_delete=models.CASCADE, related_name="parties"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="case_parties",
    )
    role = models.CharField(_("role"), max_length=20, choices=PartyRole.choices)
    standing = models.CharField(_("standing"), max_length=20, choices=Standing.choices)
    # under 18 on the day the case was detected (from the person's birth date or year)
    is_minor = models.BooleanField(_("under 18"), default=False, editable=False)
    sentence = models.CharField(_("sentence or measure"), max_length=300, blank=True)
    prison_months = models.PositiveSmallIntegerField(
        _("prison term (months)"), null=True, blank=True
    )

    class Meta:
        ordering = ["case", "pk"]
        verbose_name = _("person in a case")
        verbose_name_plural = _("persons in cases")
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="case_party_once"),
            # DESIGN: people who sell sex are victims or witnesses, never prosecuted.
            models.CheckConstraint(
                condition=~models.Q(role="seller", standing__in=sorted(PROSECUTED)),
                name="case_party_seller_never_prosecuted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.code} — {self.person.code}"


class RingQuerySet(models.QuerySet["Ring"]):
    def visible_to(self, user: Any) -> RingQuerySet:
        from pcmd.accounts.permissions import holds

        if user is None:
            return self
        if not holds(user, "cases.view"):
            return self.none()
        return self.filter(scope_q(user, "unit"))


class Ring(TimeStampedModel, VersionedModel):
    """A ring or group (đường dây, ổ nhóm) across cases and communes."""

    code = models.CharField(_("ring number"), max_length=30, unique=True, editable=False)
    name = models.CharField(
        _("name"), max_length=200, help_text=_("A working name, without persons' names.")
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit in charge"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The district or province whose police lead the fight against it."),
    )
    detected_on = models.DateField(_("detected on"))
    establishments = models.ManyToManyField(
        "registry.Establishment", verbose_name=_("establishments"), blank=True, related_name="+"
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = RingQuerySet.as_manager()

    class Meta:
        ordering = ["-detected_on", "-pk"]
        verbose_name = _("ring")
        verbose_name_plural = _("rings")

    def __str__(self) -> str:
        return self.code


class RingMember(TimeStampedModel):
    ring = models.ForeignKey(
        Ring, verbose_name=_("ring"), on_delete=models.CASCADE, related_name="members"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="ring_memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=PartyRole.choices)

    class Meta:
        ordering = ["ring", "pk"]
        verbose_name = _("ring member")
        verbose_name_plural = _("ring members")
        constraints = [
            models.UniqueConstraint(fields=["ring", "person"], name="ring_member_once"),
        ]


class Step(models.Model):
    """One stage a case went through, with its clock and the decision that ended it."""

    case = models.ForeignKey(
        Case, verbose_name=_("criminal case"), on_delete=models.CASCADE, related_name="steps"
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    owner = models.CharField(_("owner"), max_length=20, choices=Owner.choices)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency in charge"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_on = models.DateField(_("clock starts on"))
    due_on = models.DateField(_("due by"), null=True, blank=True)
    extensions = models.PositiveSmallIntegerField(_("extensions"), default=0)
    extension_reason = models.CharField(_("reason for the extension"), max_length=500, blank=True)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    document = models.CharField(_("document number"), max_length=60, blank=True)
    reason = models.CharField(_("reasons"), max_length=1000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "started_on", "pk"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        indexes = [
            models.Index(fields=["decided_on", "due_on"]),
            models.Index(fields=["case", "decided_on"], name="casestep_case_decided_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case.code} — {self.get_stage_display()}"


class Trial(TimeStampedModel, VersionedModel):
    """The hearing of a case (Circular 02/2018/TT-TANDTC rules in pcmd.cases.rules)."""

    case = models.OneToOneField(
        Case, verbose_name=_("criminal case"), on_delete=models.CASCADE, related_name="trial"
    )
    court = models.ForeignKey(
        "agencies.Agency", verbose_name=_("court"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("held on"))
    venue = models.CharField(_("venue"), max_length=300)
    is_closed = models.BooleanField(_("closed hearing"), default=False)
    is_mobile = models.BooleanField(_("mobile trial (xét xử lưu động)"), default=False)
    location = models.ForeignKey(
        Unit,
        verbose_name=_("commune of the mobile trial"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    audience = models.PositiveIntegerField(_("audience"), null=True, blank=True)
    judgment_number = models.CharField(_("judgment number"), max_length=60, blank=True)
    judgment_on = models.DateField(_("judgment delivered on"), null=True, blank=True)

    class Meta:
        verbose_name = _("trial")
        verbose_name_plural = _("trials")

    def __str__(self) -> str:
        return f"{self.case.code} — {self.held_on:%d/%m/%Y}"
