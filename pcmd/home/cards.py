"""The home page's cards: each person's work, computed for their scope (issue 10.1).

A *card provider* is a function ``(Context) -> Card | None``: ``None`` when the card does
not concern the user's roles, else a :class:`Card` with a title, a count, at most
``MAX_ITEMS`` items (each a link to the place where the work is done) and a link to the
full list. Each provider runs a bounded number of queries whatever the number of rows, and
reuses the logic of the page its "all" link opens, so the count is what that page lists:

=====================  =========================================  ===========================
card                   logic                                      "all" opens
=====================  =========================================  ===========================
reports to submit      ``reporting.worklist.obligations_of``      report inbox, to submit
returned reports       same rows, status "returned"               report inbox, to submit
reports to approve     ``reporting.worklist.reports_to_approve``  report inbox, to approve
reminders              ``reporting.worklist.unread_reminders``    reminders
referrals to receive   ``people.consent.referrals_waiting``       referral inbox, sent
inspections due        ``inspections.risk.score_rows``            what to inspect next
hotspot re-checks      ``Hotspot.objects.overdue``                overdue re-checks
overdue case stages    ``cases.actions.overdue_steps``            case list, ``?overdue=1``
                       (stages the user owns)
assessments            submitted ``Assessment`` rows              commune assessment list
task reports owed      ``taskreports.duties.duties``              my task reports
targets                ``plans.progress.plan_progress``          dashboard
alerts                 ``dashboard.alerts.register_alerts``       dashboard / hotspots
exceptions to review   ``people.emergency.pending``               review queue of access
support follow-ups     ``support.supervision.my_overdue_          support supervision
                       followups`` (cases worked or supervised)
support referrals      ``support.supervision.my_overdue_          supervision; the referral
                       referrals_sent`` + ``overdue_referrals_    page for the receiving
                       received`` (the receiving agency)          agency's officers
no contact (support)   ``support.supervision.supervised_          support supervision
                       without_contact`` (60 days)
recent changes         audit rows on records the user created     the records themselves
=====================  =========================================  ===========================

Counts of people (target values) go through the small-cell rule
(``pcmd.indicators.privacy``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from pcmd.accounts.permissions import allows, scope_paths
from pcmd.cases import rules as case_rules
from pcmd.cases.actions import overdue_steps
from pcmd.cases.models import Case
from pcmd.communes.actions import can_fill
from pcmd.communes.models import Assessment, AssessmentStatus, AssessmentTemplate
from pcmd.core.datacache import Shared, remember
from pcmd.core.formatting import period_label
from pcmd.core.models import AuditEvent
from pcmd.dashboard.alerts import register_alerts
from pcmd.dashboard.query import Question, default_root, parse_question
from pcmd.geo.models import UnitLevel
from pcmd.geo.subtree import under_q
from pcmd.hotspots.models import Hotspot
from pcmd.indicators.privacy import must_suppress
from pcmd.inspections.models import Inspection
from pcmd.inspections.risk import active_weights, score_rows
from pcmd.inspections.views_teams import default_team, province_path
from pcmd.outreach.models import Activity
from pcmd.people.consent import referrals_waiting
from pcmd.people.emergency import overdue_since, pending, queue_counts
from pcmd.plans.progress import GoalMode, plan_progress, viewable
from pcmd.plans.selectors import latest
from pcmd.registry.models import Establishment
from pcmd.reporting.actions import reminder_text
from pcmd.reporting.models import Reminder, Submission, SubmissionStatus
from pcmd.reporting.obligations import period_label_vi, period_of
from pcmd.reporting.worklist import (
    active_forms,
    default_year,
    obligations_of,
    reports_to_approve,
    unread_reminders,
)
from pcmd.taskreports import duties
from pcmd.taskreports.models import ReportState, TaskReport
from pcmd.web.auth import AuthenticatedHttpRequest

MAX_ITEMS = 5
RECENT_DAYS = 90
NOTHING_TO_DO = gettext_lazy("Nothing to do.")


@dataclass
class Item:
    text: str
    url: str
    note: str = ""
    badge: str = ""  # a class of app.css's badges: late, approved, returned…
    badge_text: str = ""


@dataclass
class Card:
    key: str
    title: str
    count: int | str
    items: list[Item] = field(default_factory=list)
    all_url: str = ""
    all_text: str = ""
    note: str = ""
    empty: str = ""

    @property
    def more(self) -> bool:
        return isinstance(self.count, int) and self.count > len(self.items)

    @property
    def folded(self) -> bool:
        """Nothing in it: shown as one name in the line of empty cards, not as a card."""
        return not self.items


class Context:
    """What the providers share for one request (computed once, on first use). Each card is
    kept on its own (``cards_for``): what they share counts for every card that uses it."""

    def __init__(self, request: AuthenticatedHttpRequest, today: datetime.date | None = None):
        self.request = request
        self.user = request.user
        self.today = today or timezone.localdate()
        self._report_rows = Shared(self._read_report_rows)
        self._question = Shared(self._read_question)

    @property
    def report_rows(self) -> tuple[int, list[dict[str, Any]]]:
        return self._report_rows.get()

    def _read_report_rows(self) -> tuple[int, list[dict[str, Any]]]:
        forms = active_forms(self.user)
        cache: dict[Any, list[Any]] = {}
        year = default_year(forms, self.today, self.user, cache)
        return year, obligations_of(self.user, forms, year, self.today, cache)

    @property
    def question(self) -> Question | None:
        return self._question.get()

    def _read_question(self) -> Question | None:
        try:
            question = parse_question(self.request)
        except Http404:
            return None
        return question if question.plan is not None else None


def _date(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def _link(name: str, *args: Any, query: dict[str, Any] | None = None, anchor: str = "") -> str:
    url = reverse(name, args=args)
    if query:
        url += "?" + urlencode(query)
    return url + (f"#{anchor}" if anchor else "")


# --- reports --------------------------------------------------------------------------------
def _report_item(row: dict[str, Any]) -> Item:
    sub = row["submission"]
    reporter = row["reporter"]
    if sub is not None:
        url = _link("reporting:edit", sub.pk, query={"from": "inbox"})
    else:
        key = f"a{reporter.agency.pk}" if reporter.agency else f"u{reporter.unit.pk}"
        url = _link(
            "reporting:start",
            query={"form": row["form"].pk, "period": row["period"].code, "reporter": key},
        )
    overdue = row["overdue"]
    return Item(
        text=f"{row['form'].name} — {row['label']}",
        url=url,
        note=_("%(reporter)s · due %(date)s")
        % {"reporter": reporter.name, "date": _date(row["due"])},
        badge="late" if overdue else "",
        badge_text=_("overdue") if overdue else "",
    )


def reports_to_submit(ctx: Context) -> Card | None:
    if not ctx.user.can("reports.submit"):
        return None
    year, rows = ctx.report_rows
    rows = [r for r in rows if not _returned(r)]
    overdue = sum(1 for r in rows if r["overdue"])
    return Card(
        "reports-to-submit",
        _("Reports to submit (%(year)s)") % {"year": year},
        len(rows),
        [_report_item(r) for r in rows[:MAX_ITEMS]],
        _link("reporting:inbox", query={"year": year}, anchor="to-submit"),
        _("All reports to submit"),
        note=(_("%(n)s overdue") % {"n": overdue}) if overdue else "",
    )


def _returned(row: dict[str, Any]) -> bool:
    sub = row["submission"]
    return sub is not None and sub.status == SubmissionStatus.RETURNED


def reports_returned(ctx: Context) -> Card | None:
    if not ctx.user.can("reports.submit"):
        return None
    year, rows = ctx.report_rows
    rows = [r for r in rows if _returned(r)]
    if not rows:
        return None  # shown only when something came back
    items = []
    for row in rows[:MAX_ITEMS]:
        item = _report_item(row)
        comment = row["submission"].review_comment
        if comment:
            item.note += " · " + _("comment: %(text)s") % {"text": comment[:120]}
        items.append(item)
    return Card(
        "reports-returned",
        _("Reports returned to you"),
        len(rows),
        items,
        _link("reporting:inbox", query={"year": year}, anchor="to-submit"),
        _("Report inbox"),
    )


def reports_approve(ctx: Context) -> Card | None:
    if not ctx.user.can("reports.approve"):
        return None
    pending = reports_to_approve(ctx.user)
    items = [
        Item(
            text=f"{s.form.name} — {s.reporter_name}",
            url=_link("reporting:detail", s.pk, query={"from": "inbox"}),
            note=_("%(period)s · sent %(date)s")
            % {
                "period": period_label_vi(period_of(s.form_version, s.period_code)),
                "date": _date(timezone.localtime(s.submitted_at).date()) if s.submitted_at else "—",
            },
            badge="late" if s.is_on_time is False else "",
            badge_text=_("late") if s.is_on_time is False else "",
        )
        for s in pending[:MAX_ITEMS]
    ]
    return Card(
        "reports-to-approve",
        _("Reports to approve"),
        len(pending),
        items,
        _link("reporting:inbox", anchor="to-approve"),
        _("All reports to approve"),
    )


def reminders(ctx: Context) -> Card | None:
    if not ctx.user.can("reports.view"):
        return None
    unread = unread_reminders(ctx.user, MAX_ITEMS)
    if not unread:
        return None
    count = Reminder.objects.visible_to(ctx.user).filter(read_at__isnull=True).count()
    return Card(
        "reminders",
        _("Reminders"),
        count,
        [Item(reminder_text(r), _link("reporting:inbox", anchor="to-submit")) for r in unread],
        _link("reporting:reminders"),
        _("All reminders"),
    )


def referrals_to_receive(ctx: Context) -> Card | None:
    """The standing office's referrals from the police not received yet (plan 1842 IV.2);
    shown only when there are some. Codes only: the identity shows when one is opened."""
    if not ctx.user.can("people.identity"):
        return None
    rows = referrals_waiting(ctx.user).select_related("person").order_by("sent_on", "pk")
    count = rows.count()
    if not count:
        return None
    return Card(
        "referrals-to-receive",
        _("Referrals from the police awaiting receipt"),
        count,
        [
            Item(
                r.person.code,
                _link("people:referral", r.pk),
                note=f"{_date(r.sent_on)} · {r.source}",
            )
            for r in rows[:MAX_ITEMS]
        ],
        _link("people:referrals", query={"status": "sent"}),
        _("All referrals awaiting receipt"),
    )


# --- inspections, hotspots ------------------------------------------------------------------
def inspections_due(ctx: Context) -> Card | None:
    user = ctx.user
    if not user.can("inspections.edit"):
        return None
    team = default_team(user)
    # The fields the ranking and this card read (a province has thousands of rows).
    establishments = Establishment.objects.visible_to(user).only(
        "pk", "name", "kind", "commune", "lat", "lon", "status"
    )
    area = "/"
    if team is not None:
        establishments = establishments.filter(under_q("commune", [team.unit.path]))
        area = team.unit.path
    elif paths := scope_paths(user):
        area = paths[0]
    rows = score_rows(
        establishments,
        ctx.today,
        weights=active_weights(),
        province_paths=[province_path(area)],
        name_hotspots=user.can("hotspots.view"),
    )
    items = []
    for row in rows[:MAX_ITEMS]:
        est = row.establishment
        last = next((p.reason for p in row.parts if p.key == "inspection"), "")
        items.append(
            Item(
                text=est.name,
                url=_link("inspections:create", query={"establishment": est.pk}),
                note=_("%(score)s points · %(commune)s · last inspection: %(last)s")
                % {"score": row.score, "commune": est.commune.name, "last": last},
            )
        )
    return Card(
        "inspections-due",
        _("Inspections due (by risk)"),
        len(rows),
        items,
        _link("inspections:risk"),
        _("What to inspect next"),
        note=(_("Team: %(team)s") % {"team": team.name}) if team is not None else "",
    )


def hotspot_rechecks(ctx: Context) -> Card | None:
    user = ctx.user
    if not user.can("hotspots.view") or not (
        user.can("hotspots.edit") or user.can("inspections.edit")
    ):
        return None
    overdue = Hotspot.objects.visible_to(user).overdue(ctx.today)
    rows = list(overdue.select_related("commune").order_by("next_check_due", "name")[:MAX_ITEMS])
    return Card(
        "hotspot-rechecks",
        _("Hotspot re-checks due"),
        overdue.count() if len(rows) == MAX_ITEMS else len(rows),
        [
            Item(
                h.name,
                _link("hotspots:detail", h.pk),
                _("%(commune)s · due %(date)s")
                % {"commune": h.commune.name, "date": _date(h.next_check_due)},
                "late",
                _("overdue"),
            )
            for h in rows
            if h.next_check_due is not None
        ],
        _link("hotspots:overdue"),
        _("All overdue re-checks"),
    )


# --- assessments, task reports --------------------------------------------------------------
def my_assessment(ctx: Context) -> Card | None:
    """A commune's own assessment of the year (the reporting year): to start, to finish, or
    returned by the district; a submitted or confirmed one leaves nothing to do."""
    user = ctx.user
    if not user.can("assessment.submit"):
        return None
    communes = [
        unit
        for unit in user.scope_units
        if unit.level == UnitLevel.COMMUNE and can_fill(user, unit)
    ]
    if not communes:
        return None
    year = ctx.report_rows[0]
    template = AssessmentTemplate.objects.for_year(year)
    if template is None:
        return None
    found = {
        a.commune_id: a
        for a in Assessment.objects.filter(year=year, commune__in=[c.pk for c in communes])
    }
    items = []
    for commune in communes:
        assessment = found.get(commune.pk)
        url = _link("communes:assessment", commune.pk, year)
        if assessment is None:
            items.append(Item(commune.name, url, _("Not started: open the form to fill it in.")))
        elif assessment.status == AssessmentStatus.DRAFT:
            items.append(Item(commune.name, url, _("Draft: finish it and submit it.")))
        elif assessment.status == AssessmentStatus.RETURNED:
            items.append(
                Item(
                    commune.name,
                    url,
                    assessment.review_comment or "",
                    "late",
                    _("returned"),
                )
            )
    return Card(
        "my-assessment",
        _("Commune self-assessment, year %(year)s") % {"year": year},
        len(items),
        items,
        _link("communes:list", query={"year": year}),
        _("All assessments of the year"),
    )


def assessments_to_confirm(ctx: Context) -> Card | None:
    if not ctx.user.can("assessment.confirm"):
        return None
    pending = Assessment.objects.visible_to(ctx.user).filter(status=AssessmentStatus.SUBMITTED)
    rows = list(
        pending.select_related("commune", "commune__parent").order_by("-year", "commune__code")[
            :MAX_ITEMS
        ]
    )
    count = pending.count() if len(rows) == MAX_ITEMS else len(rows)
    year = rows[0].year if rows else None
    return Card(
        "assessments-to-confirm",
        _("Commune assessments to confirm"),
        count,
        [
            Item(
                a.commune.name,
                _link("communes:assessment", a.commune_id, a.year),
                _("%(district)s · year %(year)s")
                % {"district": a.commune.parent.name if a.commune.parent else "", "year": a.year},
            )
            for a in rows
        ],
        _link("communes:list", query={"status": "submitted", "year": year})
        if year
        else _link("communes:list"),
        _("All commune assessments"),
    )


def task_reports_owed(ctx: Context) -> Card | None:
    user = ctx.user
    if not user.can("taskreports.edit") or not any(a.agency_id for a in user.active_assignments):
        return None  # owed by an agency: its officers see them
    plan = latest(default_root(user), user=user, on=ctx.today)
    if plan is None or plan.unit is None:
        return None
    groups = list(plan.task_groups.filter(withdrawn=False).prefetch_related("agencies__unit"))
    mine = duties.duties(plan, groups, user)
    periods = [p for p in duties.plan_periods(plan) if p.end < ctx.today]
    done = set(
        TaskReport.objects.visible_to(user)
        .filter(
            plan=plan,
            state=ReportState.SUBMITTED,
            agency__in={d.agency.pk for d in mine},
        )
        .values_list("group_number", "agency_id", "year", "period")
    )
    owed = [
        (d, p)
        for p in periods
        for d in mine
        if (d.group.number, d.agency.pk, p.year, p.kind) not in done
    ]
    return Card(
        "task-reports-owed",
        _("Task reports owed by your agency"),
        len(owed),
        [
            Item(
                f"{d.group.number}. {d.group.heading}",
                _link("taskreports:report", plan.pk, d.group.number, d.agency.pk, p.year, p.kind),
                _("%(agency)s · %(period)s · period ended %(date)s")
                % {"agency": d.agency.name, "period": p.label, "date": _date(p.end)},
            )
            for d, p in owed[:MAX_ITEMS]
        ],
        _link("taskreports:list", query={"plan": plan.pk}),
        _("My task reports"),
    )


# --- overview: targets and alerts -----------------------------------------------------------
def targets(ctx: Context) -> Card | None:
    q = ctx.question
    if q is None or q.plan is None or not ctx.user.can("dashboard.view"):
        return None
    plan = q.plan
    # The same for everyone asking this question: kept apart from the user's card.
    progress = remember(
        ("plan_progress", plan.pk, q.root.pk, q.period.code, q.period.cutoff, q.mapping)
        + (q.as_is_on, get_language(), ctx.today),
        lambda: plan_progress(plan, q.root, q.period, mapping=q.mapping, as_is_on=q.as_is_on),
    )
    dashboard = reverse("dashboard:home") + "?" + q.params()
    items = []
    for p in progress:
        # The figure as the dashboard's card shows it: a share where the target scales to a
        # share at this level, hidden where the small-cell rule says so.
        viewable(p, must_suppress(p.indicator, ctx.user))
        value = p.display
        text = value if not isinstance(value, int | float) else number_format(value)
        if value is not None and p.is_percent:
            text = f"{text}%"
        goal = _("no goal at this level") if p.goal.mode == GoalMode.MONITOR else p.goal_text
        items.append(
            Item(
                f"{p.target.code}. {p.target.short}",
                f"{dashboard}#card-{p.target.code}",
                _("%(value)s · goal %(goal)s")
                % {"value": "—" if value is None else text, "goal": goal},
                f"status-{p.status}",
                p.status_label,
            )
        )
    not_met = sum(1 for p in progress if p.status in {"not_met", "at_risk"})
    return Card(
        "targets",
        _("Targets: %(unit)s, %(period)s")
        % {"unit": q.root.name, "period": period_label(q.period.code)},
        len(progress),
        items,
        dashboard,
        _("Dashboard"),
        note=(_("%(n)s not met or at risk") % {"n": not_met}) if not_met else "",
    )


def alert_card(ctx: Context) -> Card | None:
    user = ctx.user
    q = ctx.question
    if q is None or not all(
        user.can(c) for c in ("dashboard.view", "hotspots.view", "registry.view")
    ):
        return None
    found = register_alerts(q, user, counts_only=True)
    dashboard = reverse("dashboard:home") + "?" + q.params()
    items = []
    no_activity = found.get("no_activity", {}).get("count", 0)
    if no_activity:
        items.append(
            Item(
                _("%(n)s communes with no communication activity") % {"n": no_activity},
                f"{dashboard}#alert-no-activity",
            )
        )
    rechecks = found["overdue_rechecks"]["count"]
    if rechecks:
        items.append(
            Item(
                _("%(n)s overdue re-checks of cleared hotspots") % {"n": rechecks},
                _link("hotspots:overdue"),
            )
        )
    never = found["never_inspected"]["count"]
    if never:
        items.append(
            Item(
                _("%(n)s establishments never inspected") % {"n": never},
                f"{dashboard}#alert-never-inspected",
            )
        )
    return Card(
        "alerts",
        _("Alerts"),
        len(items),
        items,
        f"{dashboard}#alerts",
        _("Dashboard"),
        empty=_("No alert."),
    )


# --- exceptional access to identities -----------------------------------------------------
def exceptions_to_review(ctx: Context) -> Card | None:
    """Emergency accesses and consent overrides waiting for this reviewer (pcmd.people)."""
    counts = queue_counts(ctx.user)
    if counts is None:
        return None
    late = overdue_since()
    rows = list(pending(ctx.user).select_related("person", "user")[:MAX_ITEMS])
    return Card(
        "exceptions-to-review",
        str(_("Exceptional access awaiting review")),
        counts.pending,
        [
            Item(
                f"{e.get_kind_display()} — {e.person.code}",
                _link("people:review", anchor=f"exception-{e.pk}"),
                _("%(who)s · %(when)s")
                % {
                    "who": e.user.username,
                    "when": timezone.localtime(e.started_at).strftime("%d/%m/%Y %H:%M"),
                },
                "late" if e.started_at < late else "",
                _("overdue") if e.started_at < late else "",
            )
            for e in rows
        ],
        _link("people:review"),
        _("Review of exceptional access"),
        note=(_("%(n)s overdue") % {"n": counts.overdue}) if counts.overdue else "",
    )


# --- criminal cases ----------------------------------------------------------------------
def overdue_case_stages(ctx: Context) -> Card | None:
    """Open stages of criminal cases past their legal time limit, for the agency that owns
    each stage (``pcmd.cases.rules.OWNERS``): the police see verification and investigation,
    the procuracy the decision to prosecute, the court trial preparation, trial and
    enforcement, each only for the cases in their scope. Codes only, never names."""
    user = ctx.user
    owned = [stage for stage in case_rules.OWNERS if user.can(case_rules.capability_for(stage))]
    if not owned:
        return None
    steps = (
        overdue_steps(ctx.today)
        .filter(stage__in=owned, case__in=Case.objects.visible_to(user))
        .select_related("case", "case__commune")
        .order_by("due_on", "pk")
    )
    # The same check as the case page's action panel: the owner of the stage, in scope.
    rows = [s for s in steps if allows(user, case_rules.capability_for(s.stage), obj=s.case)]
    items = []
    for step in rows[:MAX_ITEMS]:
        assert step.due_on is not None  # overdue_steps has a due date
        late = (ctx.today - step.due_on).days
        items.append(
            Item(
                f"{step.case.code} — {step.get_stage_display()}",
                _link("cases:detail", step.case_id),
                _("%(commune)s · due %(date)s · %(n)s days late")
                % {"commune": step.case.commune.name, "date": _date(step.due_on), "n": late},
                "late",
                _("overdue"),
            )
        )
    return Card(
        "overdue-case-stages",
        _("Overdue case stages"),
        len(rows),
        items,
        _link("cases:list", query={"overdue": 1}),
        _("All cases with an overdue stage"),
    )


# --- recent changes to the user's records ---------------------------------------------------
# Record types with a detail page: audit object type -> (model, URL name).
RECORDS: dict[str, tuple[Any, str]] = {
    "inspections.inspection": (Inspection, "inspections:detail"),
    "hotspots.hotspot": (Hotspot, "hotspots:detail"),
    "registry.establishment": (Establishment, "registry:detail"),
    "reporting.submission": (Submission, "reporting:detail"),
    "outreach.activity": (Activity, "outreach:activity"),
}
CREATED = Q(verb__endswith=".create") | Q(verb="reporting.submission_start")


def recent_changes(ctx: Context) -> Card | None:
    """What others changed lately on records this user created (their audit rows)."""
    user = ctx.user
    since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
    mine = AuditEvent.objects.filter(
        CREATED,
        actor=user,
        object_type=OuterRef("object_type"),
        object_id=OuterRef("object_id"),
    )
    events = list(
        AuditEvent.objects.filter(object_type__in=RECORDS, at__gte=since)
        .exclude(actor=user)
        .filter(Exists(mine))
        .select_related("actor")
        .order_by("-at", "-id")[: MAX_ITEMS * 4]
    )
    ids: dict[str, set[int]] = {}
    for e in events:
        if e.object_id.isdecimal():
            ids.setdefault(e.object_type, set()).add(int(e.object_id))
    visible: set[tuple[str, int]] = set()
    for object_type, pks in ids.items():
        model = RECORDS[object_type][0]
        visible |= {
            (object_type, pk)
            for pk in model.objects.visible_to(user).filter(pk__in=pks).values_list("pk", flat=True)
        }
    items = []
    for e in events:
        if not e.object_id.isdecimal() or (e.object_type, int(e.object_id)) not in visible:
            continue
        who = (e.actor.get_full_name() or e.actor.username) if e.actor else _("system")
        items.append(
            Item(
                e.object_repr or e.object_type,
                _link(RECORDS[e.object_type][1], int(e.object_id)),
                _("%(when)s · %(who)s · %(what)s")
                % {
                    "when": timezone.localtime(e.at).strftime("%d/%m/%Y %H:%M"),
                    "who": who,
                    "what": _describe(e.verb),
                },
            )
        )
        if len(items) == MAX_ITEMS:
            break
    return Card(
        "recent-changes",
        _("Recent changes to your records"),
        len(items),
        items,
        empty=_("No one changed your records in the last %(n)s days.") % {"n": RECENT_DAYS},
    )


def _describe(verb: str) -> str:
    action = verb.rsplit(".", 1)[-1]
    if action.endswith("delete"):
        return _("deleted")
    if action in {"submission_approve"}:
        return _("approved")
    if action in {"submission_return"}:
        return _("returned")
    return _("changed")


Provider = Callable[[Context], Card | None]

from .cards_support import (  # noqa: E402 - the support cards use the classes above
    support_followups,
    support_referrals,
    support_without_contact,
)

SUPPORT_WORK: list[Provider] = [support_followups, support_referrals, support_without_contact]

#: The work list, in the order it is shown.
WORK: list[Provider] = [
    reports_returned,
    reports_to_submit,
    reports_approve,
    reminders,
    my_assessment,
    referrals_to_receive,
    assessments_to_confirm,
    inspections_due,
    hotspot_rechecks,
    overdue_case_stages,
    *SUPPORT_WORK,
    task_reports_owed,
    exceptions_to_review,
    recent_changes,
]
#: The overview: where the plan stands in the user's scope.
OVERVIEW: list[Provider] = [targets, alert_card]
