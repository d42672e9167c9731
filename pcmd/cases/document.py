"""The standing office's case document (issue 12, item 6): the criminal cases of a period as
figures, with no identity, for the 6-month and annual reports to the People's Committee.

The figures are those of the cases detected in the period (by the day they were detected or
reported) in the chosen area, each as it stood at the end of the period: its stage (from the
steps started by then), whether it was handled and how (the last terminal decision taken by
the period's end, :data:`pcmd.cases.rules.MOVES`), by offence and by district; the rings
detected in the period or with a case of the period, with their status; the trials held in the
period, mobile trials included; and the share of target 4 of plan 1842 (cases handled ÷ cases
detected).

What the document never carries: names, ID numbers or person codes, nor any free text typed
about a case or a ring (case summaries, ring names, venues), which could name someone. Cases
and rings appear by their numbers only. Counts of persons follow the small-cell rule
(:mod:`pcmd.indicators.privacy`) for every reader: the document is written to be sent on.

The document is written in Vietnamese, as Decree 30/2020/NĐ-CP requires of an administrative
document (like the report documents of :mod:`pcmd.reporting.documents`); the labels of stages,
decisions and roles come from the catalog in Vietnamese.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q
from django.utils import timezone, translation

from pcmd.accounts.permissions import scope_q
from pcmd.agencies.models import AgencyRoleKind, agency_with_role
from pcmd.core.periods import Period
from pcmd.geo.models import Unit, UnitLevel
from pcmd.geo.subtree import under_q
from pcmd.indicators.privacy import shown, threshold
from pcmd.reporting.documents.content import Block, Cell, Table, Text
from pcmd.reporting.documents.docx import compose
from pcmd.reporting.documents.header import DocHead, lower_first, short_name
from pcmd.reporting.obligations import period_label_vi
from pcmd.reporting.values import format_number

from . import rules
from .models import (
    PROSECUTED,
    Case,
    CaseParty,
    Decision,
    PartyRole,
    Ring,
    RingMember,
    Stage,
    Standing,
    Step,
    Trial,
)

SUSPENDED = "suspended"  # a stage suspended at the period's end (no open step)
NOT_HANDLED = ""  # outcome of a case not handled by the period's end


# --- the figures ----------------------------------------------------------------------------


@dataclass
class CaseState:
    """A case as it stood at the end of the period."""

    case: Case
    stage: str
    outcome: str  # the last terminal decision taken by then, or NOT_HANDLED
    district: Unit | None

    @property
    def handled(self) -> bool:
        return self.outcome != NOT_HANDLED


@dataclass
class RingState:
    ring: Ring
    cases: int  # its cases detected by the period's end
    handled: int  # of them handled by then
    members: int

    @property
    def is_handled(self) -> bool:
        """Handled when it has cases and each was handled by the period's end
        (:func:`pcmd.cases.actions.ring_is_handled`, at the period's end)."""
        return self.cases > 0 and self.handled == self.cases


@dataclass
class Summary:
    root: Unit
    period: Period
    cases: list[CaseState]
    rings: list[RingState]
    trials: list[Trial]
    # role -> (persons named in the period's cases, of them prosecuted)
    persons: dict[str, tuple[int, int]] = field(default_factory=dict)
    sentenced: int = 0  # defendants sentenced in the trials of the period

    @property
    def detected(self) -> int:
        return len(self.cases)

    @property
    def handled(self) -> int:
        return sum(1 for c in self.cases if c.handled)


def _district(commune: Unit) -> Unit | None:
    parent = commune.parent
    return parent if parent is not None and parent.level == UnitLevel.DISTRICT else None


def state_at(steps: Iterable[Step], end: datetime.date) -> tuple[str, str]:
    """(stage, outcome) of a case at the end of ``end`` from its steps."""
    taken = [s for s in steps if s.started_on <= end]
    outcome = NOT_HANDLED  # the last terminal decision by then, as Case.outcome keeps it
    for step in sorted(taken, key=lambda s: (s.decided_on or end, s.pk)):
        if step.decided_on is None or step.decided_on > end:
            continue
        move = rules.MOVES.get(step.stage, {}).get(step.decision)
        if move is not None and move.handled:
            outcome = step.decision
    if not taken:
        return Stage.RECEIVED, outcome
    last = max(taken, key=lambda s: (s.started_on, s.pk))
    if last.decided_on is None or last.decided_on > end:
        return last.stage, outcome
    if last.decision == Decision.SUSPEND:
        return SUSPENDED, outcome
    return rules.move_for(last.stage, last.decision).to, outcome


def area_cases(user: Any, root: Unit) -> Any:
    """Cases of the area ``root`` inside the user's scope. Not ``Case.objects.visible_to``:
    the standing office and the leadership read no case file, only these figures."""
    return Case.objects.filter(scope_q(user, "commune"), under_q("commune", [root.path]))


def summarise(user: Any, root: Unit, period: Period) -> Summary:
    """The figures of the document, in a fixed number of queries."""
    start, end = period.start, period.end
    cases = list(
        area_cases(user, root)
        .filter(detected_on__range=(start, end))
        .select_related("commune__parent")
        .prefetch_related("offences", Prefetch("steps", queryset=Step.objects.order_by("pk")))
        .order_by("detected_on", "pk")
    )
    states = []
    for case in cases:
        stage, outcome = state_at(case.steps.all(), end)
        states.append(CaseState(case, stage, outcome, _district(case.commune)))

    persons: dict[str, tuple[int, int]] = {}
    parties = CaseParty.objects.filter(case__in=[c.pk for c in cases]).values_list(
        "role", "standing", "person_id"
    )
    named: dict[str, set[int]] = {}
    prosecuted: dict[str, set[int]] = {}
    for role, standing, person in parties:
        named.setdefault(role, set()).add(person)
        if standing in PROSECUTED:
            prosecuted.setdefault(role, set()).add(person)
    for role in PartyRole.values:
        if role in named:
            persons[role] = (len(named[role]), len(prosecuted.get(role, ())))

    ring_ids = {c.ring_id for c in cases if c.ring_id is not None}
    rings = list(
        Ring.objects.filter(scope_q(user, "unit"), under_q("unit", [root.path]))
        .filter(Q(detected_on__range=(start, end)) | Q(pk__in=ring_ids))
        .select_related("unit")
        .order_by("detected_on", "pk")
    )
    # a ring's status counts all its cases detected by the period's end, earlier ones too
    ring_cases: Counter[int] = Counter()
    ring_handled: Counter[int] = Counter()
    for case in (
        Case.objects.filter(ring__in=rings, detected_on__lte=end)
        .only("pk", "ring_id")
        .prefetch_related(Prefetch("steps", queryset=Step.objects.order_by("pk")))
    ):
        assert case.ring_id is not None
        ring_cases[case.ring_id] += 1
        ring_handled[case.ring_id] += bool(state_at(case.steps.all(), end)[1])
    members = Counter(RingMember.objects.filter(ring__in=rings).values_list("ring_id", flat=True))
    ring_states = [RingState(r, ring_cases[r.pk], ring_handled[r.pk], members[r.pk]) for r in rings]

    trials = list(
        Trial.objects.filter(case__in=area_cases(user, root), held_on__range=(start, end))
        .select_related("case", "location")
        .order_by("held_on", "pk")
    )
    sentenced = (
        CaseParty.objects.filter(case__trial__in=trials, standing=Standing.DEFENDANT)
        .exclude(sentence="", prison_months__isnull=True)
        .values("person_id")
        .distinct()
        .count()
        if trials
        else 0
    )
    return Summary(root, period, states, ring_states, trials, persons, sentenced)


# --- the document ---------------------------------------------------------------------------


def _n(value: int) -> Cell:
    return Cell.number(value)


def _people(value: int) -> Cell:
    """A count of persons: "<5" below the threshold, for every reader of the document."""
    return Cell.number(shown(value, suppress=True))


def _share(handled: int, detected: int) -> str:
    """ "33,3%" (one decimal, a comma as in Vietnamese writing)."""
    if not detected:
        return "—"
    return f"{100 * handled / detected:.1f}".replace(".", ",") + "%"


def _numbered(rows: list[list[Cell]]) -> list[list[Cell]]:
    return [[Cell(str(i), i, "center"), *row] for i, row in enumerate(rows, 1)]


def _total(cells: list[Cell]) -> list[Cell]:
    return [Cell(""), Cell("Tổng cộng"), *cells]


STAGE_ORDER = [*Stage.values[:-1], SUSPENDED, Stage.CLOSED]


# The stages a case can rest in at the period's end with no open step.
RESTING = {SUSPENDED: "Tạm đình chỉ", Stage.CLOSED: "Đã kết thúc"}


def _stage_label(stage: str) -> str:
    return RESTING.get(stage) or str(Stage(stage).label)


def _stages(s: Summary) -> Table:
    count = Counter(c.stage for c in s.cases)
    rows = [[Cell(_stage_label(st)), _n(count[st])] for st in STAGE_ORDER if count[st]]
    return Table(
        "1. Vụ việc, vụ án theo giai đoạn tố tụng (tại ngày cuối kỳ)",
        ["STT", "Giai đoạn", "Số vụ"],
        [*_numbered(rows), _total([_n(s.detected)])],
        [14, 116, 35],
        sheet="Giai doan",
        total_row=True,
    )


def _outcomes(s: Summary) -> Table:
    count = Counter(c.outcome for c in s.cases)
    handled = sorted(rules.HANDLED_DECISIONS, key=Decision.values.index)
    rows = [[Cell(str(Decision(d).label)), _n(count[d])] for d in handled if count[d]]
    rows.append([Cell("Chưa xử lý xong trong kỳ"), _n(count[NOT_HANDLED])])
    return Table(
        "2. Kết quả xử lý",
        ["STT", "Kết quả", "Số vụ"],
        [*_numbered(rows), _total([_n(s.detected)])],
        [14, 116, 35],
        sheet="Ket qua",
        total_row=True,
    )


def _offences(s: Summary) -> Table:
    detected: Counter[Any] = Counter()
    handled: Counter[Any] = Counter()
    for c in s.cases:
        for offence in c.case.offences.all():
            detected[offence] += 1
            handled[offence] += c.handled
    rows = [
        [
            Cell(f"Điều {o.article} khoản {o.clause} — {o.title}"),
            _n(detected[o]),
            _n(handled[o]),
        ]
        for o in sorted(detected, key=lambda o: (o.article, o.clause, o.code))
    ]
    unnamed = sum(1 for c in s.cases if not c.case.offences.all())
    if unnamed:
        rows.append(
            [
                Cell("Chưa xác định tội danh"),
                _n(unnamed),
                _n(sum(1 for c in s.cases if c.handled and not c.case.offences.all())),
            ]
        )
    return Table(
        "3. Theo tội danh (Bộ luật Hình sự 2015; một vụ có thể có nhiều tội danh)",
        ["STT", "Tội danh", "Phát hiện", "Đã xử lý"],
        _numbered(rows),
        [14, 101, 25, 25],
        sheet="Toi danh",
    )


def _districts(s: Summary) -> Table:
    names: dict[int, str] = {}
    detected: Counter[int] = Counter()
    handled: Counter[int] = Counter()
    for c in s.cases:
        unit = c.district or c.case.commune
        names[unit.pk] = unit.name
        detected[unit.pk] += 1
        handled[unit.pk] += c.handled
    rows = [
        [
            Cell(names[pk]),
            _n(detected[pk]),
            _n(handled[pk]),
            Cell(_share(handled[pk], detected[pk]), align="right"),
        ]
        for pk in sorted(names, key=lambda pk: names[pk])
    ]
    return Table(
        "4. Theo địa bàn cấp huyện",
        ["STT", "Địa bàn", "Phát hiện", "Đã xử lý", "Tỷ lệ xử lý"],
        [
            *_numbered(rows),
            _total(
                [
                    _n(s.detected),
                    _n(s.handled),
                    Cell(_share(s.handled, s.detected), align="right"),
                ]
            ),
        ],
        [14, 76, 25, 25, 25],
        sheet="Dia ban",
        total_row=True,
    )


def _persons(s: Summary) -> Table:
    rows = [
        [Cell(str(PartyRole(role).label)), _people(named), _people(charged)]
        for role, (named, charged) in s.persons.items()
    ]
    return Table(
        "5. Người có liên quan theo vai trò (đếm người, không ghi danh tính)",
        ["STT", "Vai trò", "Số người", "Trong đó bị khởi tố, truy tố, xét xử"],
        _numbered(rows),
        [14, 81, 30, 40],
        sheet="Nguoi",
    )


def _rings(s: Summary) -> Table:
    rows = [
        [
            Cell(r.ring.code),
            Cell(r.ring.unit.name),
            Cell(r.ring.detected_on.strftime("%d/%m/%Y"), align="center"),
            _n(r.cases),
            _n(r.handled),
            _people(r.members),
            Cell("Đã xử lý" if r.is_handled else "Chưa xử lý xong"),
        ]
        for r in s.rings
    ]
    return Table(
        "6. Đường dây, ổ nhóm",
        [
            "STT",
            "Số hiệu",
            "Đơn vị chủ trì",
            "Phát hiện",
            "Số vụ",
            "Đã xử lý",
            "Số đối tượng",
            "Tình trạng",
        ],
        _numbered(rows),
        [10, 25, 30, 22, 15, 17, 20, 26],
        sheet="Duong day",
        size=11,
    )


def _trials(s: Summary) -> list[Block]:
    mobile = [t for t in s.trials if t.is_mobile]
    closed = sum(1 for t in s.trials if t.is_closed)
    audience = sum(t.audience or 0 for t in mobile)
    figures = Table(
        "7. Xét xử",
        ["STT", "Nội dung", "Số liệu"],
        _numbered(
            [
                [Cell("Số vụ án đã đưa ra xét xử trong kỳ"), _n(len(s.trials))],
                [Cell("Trong đó: xét xử kín"), _n(closed)],
                [Cell("Trong đó: xét xử lưu động"), _n(len(mobile))],
                [Cell("Số người dự các phiên tòa lưu động"), _n(audience)],
                [Cell("Số bị cáo đã bị tuyên án"), _people(s.sentenced)],
            ]
        ),
        [14, 116, 35],
        sheet="Xet xu",
    )
    blocks: list[Block] = [figures]
    if mobile:
        blocks.append(
            Table(
                "Các phiên tòa xét xử lưu động",
                ["STT", "Vụ án", "Ngày xét xử", "Địa điểm (xã, phường)", "Số người dự"],
                _numbered(
                    [
                        [
                            Cell(t.case.code),
                            Cell(t.held_on.strftime("%d/%m/%Y"), align="center"),
                            Cell(t.location.name if t.location else ""),
                            _n(t.audience) if t.audience is not None else Cell("—", align="right"),
                        ]
                        for t in mobile
                    ]
                ),
                [14, 36, 30, 55, 30],
                sheet="Luu dong",
            )
        )
    return blocks


def body(s: Summary) -> list[Block]:
    share = _share(s.handled, s.detected)
    blocks: list[Block] = [
        Text("I. TÌNH HÌNH CHUNG", "heading"),
        Text(
            f"Trong kỳ báo cáo, trên địa bàn {lower_first(s.root.name)}, các cơ quan chức năng "
            f"đã phát hiện {format_number(s.detected)} vụ việc, vụ án có dấu hiệu tội phạm "
            f"liên quan đến hoạt động mại dâm; đến ngày cuối kỳ đã xử lý "
            f"{format_number(s.handled)} vụ, đạt tỷ lệ {share} (chỉ tiêu 4 của kế hoạch: xử lý "
            f"nghiêm minh 100% số vụ việc, đường dây hoạt động mại dâm); "
            f"{format_number(len(s.rings))} đường dây, ổ nhóm; "
            f"{format_number(len(s.trials))} vụ án được đưa ra xét xử, trong đó "
            f"{format_number(sum(1 for t in s.trials if t.is_mobile))} vụ xét xử lưu động."
        ),
        Text(
            "Số liệu tổng hợp từ hồ sơ vụ việc, vụ án do Công an, Viện kiểm sát nhân dân và "
            "Tòa án nhân dân cập nhật; văn bản không ghi họ tên, số giấy tờ hoặc mã của người "
            f"có liên quan; số người dưới {threshold()} được ghi “<{threshold()}”.",
            "note",
        ),
        Text("II. SỐ LIỆU CHI TIẾT", "heading"),
        _stages(s),
        _outcomes(s),
        _offences(s),
        _districts(s),
        _persons(s),
        _rings(s),
        *_trials(s),
    ]
    return blocks


def _province(unit: Unit) -> Unit:
    ancestors = unit.ancestors() if unit.level > UnitLevel.PROVINCE else []
    return ancestors[0] if ancestors else unit


def head(root: Unit, period: Period, today: datetime.date | None = None) -> DocHead:
    """Decree 30 header: the province's standing office reports to the People's Committee."""
    province = _province(root)
    office = agency_with_role(AgencyRoleKind.STANDING_OFFICE, province, period.end)
    if office is not None:
        parent_line, issuer = f"UBND {province.name.upper()}", [office.name.upper()]
    else:
        parent_line, issuer = "", ["ỦY BAN NHÂN DÂN", province.name.upper()]
    area = "" if root.pk == province.pk else f" {lower_first(root.name)}"
    return DocHead(
        parent_line=parent_line,
        issuer_lines=issuer,
        number=f"Số: {' ' * 6}/BC",
        place=short_name(province),
        date=today or timezone.localdate(),
        subject=(
            "Tình hình phát hiện, xử lý các vụ việc, vụ án, đường dây hoạt động mại dâm"
            f"{area} {period_label_vi(period)}"
        ),
        period_line=f"(Số liệu từ ngày {period.start:%d/%m/%Y} đến ngày {period.end:%d/%m/%Y})",
        addressee="Ủy ban nhân dân " + lower_first(province.name),
        recipients=[
            "UBND tỉnh (để báo cáo)",
            "Công an tỉnh, VKSND tỉnh, TAND tỉnh",
            "Lưu: VT",
        ],
        signer_title="Giám đốc" if office is not None else "",
    )


def render(user: Any, root: Unit, period: Period) -> bytes:
    """The document (DOCX bytes) for ``user`` over the area ``root`` and ``period``."""
    with translation.override("vi"):
        summary = summarise(user, root, period)
        return compose(head(root, period), body(summary))


def file_name(root: Unit, period: Period) -> str:
    return f"tong-hop-vu-an-{period.code or 'ky'}-{root.code}.docx"
