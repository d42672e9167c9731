"""A report's figures: automatic ones from the indicator engine, typed ones from the reporter.

- Automatic fields are evaluated for the reporter's unit and the period (one query per
  indicator, :func:`pcmd.indicators.engine.evaluate_many`); a draft shows them live, a
  submitted report keeps the snapshot taken on submission (retaken on approval).
- :func:`changes_since_snapshot` re-evaluates an approved report's automatic fields and lists
  those that a later change in a register moved ("was X, now Y").
- :func:`aggregate` puts the approved figures of the level below beside the live ones.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from pcmd.core.formatting import format_vnd
from pcmd.core.periods import Period
from pcmd.geo.models import Unit, name_on_date, valid_on_q
from pcmd.indicators.engine import evaluate_many
from pcmd.indicators.models import Indicator

from .models import (
    DONE_STATUSES,
    FieldKind,
    FormField,
    FormVersion,
    ReportForm,
    Submission,
    SubmissionStatus,
)

Number = int | float


class FieldValueError(ValueError):
    """A typed value that cannot be stored; names the field (bilingual through gettext)."""

    def __init__(self, field_code: str, message: Any, **params: Any) -> None:
        self.field_code = field_code
        self.message = message
        self.params = params
        super().__init__(str(message) % params if params else str(message))


def plain_number(value: Any) -> Number | None:
    """A JSON-friendly number: int when whole, else float rounded to 2 places."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError("a boolean is not a figure")
    dec = Decimal(str(value))
    if dec == dec.to_integral_value():
        return int(dec)
    return round(float(dec), 2)


def format_number(value: Any, kind: str = "integer") -> str:
    """Vietnamese writing: 1.234.567 (money with " đ"); decimals with a comma."""
    if value is None or value == "":
        return ""
    if isinstance(value, str) and value.startswith("<"):
        return value  # a suppressed small count ("<5"), pcmd.indicators.privacy.shown
    if kind == "money":
        return format_vnd(Decimal(str(value)))
    number = plain_number(value)
    if isinstance(number, int):
        return f"{number:,}".replace(",", ".")
    whole, _sep, frac = f"{number:,.1f}".partition(".")
    return whole.replace(",", ".") + "," + frac


def display(field_obj: FormField, value: Any) -> str:
    if isinstance(value, str) and value.startswith("<"):
        return value  # a suppressed small count
    if field_obj.kind == FieldKind.MONEY:
        return format_number(value, "money")
    if field_obj.kind in (FieldKind.AUTO, FieldKind.INTEGER):
        return format_number(value)
    return "" if value is None else str(value)


# --- automatic fields ----------------------------------------------------------------------
def auto_fields(version: FormVersion) -> list[FormField]:
    return [f for f in version.field_list if f.kind == FieldKind.AUTO]


def _indicators(fields: list[FormField]) -> dict[str, Indicator]:
    codes = {f.indicator_code for f in fields}
    return {
        i.code: i
        for i in Indicator.objects.filter(code__in=codes, is_active=True).select_related(
            "numerator", "denominator"
        )
    }


def evaluate_auto(
    version: FormVersion,
    unit: Unit,
    period: Period,
) -> dict[str, Number | None]:
    """``{field code: value}`` for the automatic fields (None: no automatic value)."""
    fields = auto_fields(version)
    if not fields:
        return {}
    indicators = _indicators(fields)
    wanted = list(indicators.values())
    results = {r.indicator.code: r for r in evaluate_many(wanted, unit, period)} if wanted else {}
    out: dict[str, Number | None] = {}
    for f in fields:
        result = results.get(f.indicator_code)
        out[f.code] = plain_number(result.total) if result is not None else None
    return out


def evaluate_auto_by_child(
    version: FormVersion,
    root: Unit,
    period: Period,
) -> dict[str, dict[int, Number | None]]:
    """``{field code: {child unit id: live value}}`` for the automatic fields."""
    fields = auto_fields(version)
    indicators = _indicators(fields)
    if not indicators:
        return {}
    results = {
        r.indicator.code: r
        for r in evaluate_many(list(indicators.values()), root, period, by="unit")
    }
    out: dict[str, dict[int, Number | None]] = {}
    for f in fields:
        result = results.get(f.indicator_code)
        if result is None:
            continue
        out[f.code] = {k: plain_number(v) for k, v in result.values.items()}
    return out


def submission_period(submission: Submission) -> Period:
    from .obligations import period_of

    return period_of(submission.form_version, submission.period_code)


def current_auto(submission: Submission) -> dict[str, Number | None]:
    """A draft's automatic figures are live; a submitted or approved report's are its snapshot."""
    if submission.status in DONE_STATUSES:
        return dict(submission.auto_values)
    return evaluate_auto(submission.form_version, submission.unit, submission_period(submission))


@dataclass
class Change:
    field: FormField
    was: Any
    now: Any


def changes_since_snapshot(submission: Submission) -> list[Change]:
    """Automatic figures of a submitted/approved report that the registers have since moved."""
    if submission.status not in DONE_STATUSES or not submission.auto_values:
        return []
    live = evaluate_auto(submission.form_version, submission.unit, submission_period(submission))
    out = []
    for f in auto_fields(submission.form_version):
        was, now = submission.auto_values.get(f.code), live.get(f.code)
        if now is not None and was != now:
            out.append(Change(f, was, now))
    return out


def numbers(
    version: FormVersion, values: dict[str, Any], auto: dict[str, Any]
) -> dict[str, Decimal]:
    """The numeric figures of a report (typed and automatic), for the rules."""
    out: dict[str, Decimal] = {}
    for f in version.field_list:
        raw = auto.get(f.code) if f.kind == FieldKind.AUTO else values.get(f.code)
        if f.is_numeric and raw is not None and raw != "":
            try:
                out[f.code] = Decimal(str(raw))
            except InvalidOperation:
                continue
    return out


# --- typed values --------------------------------------------------------------------------
def _to_int(field_code: str, raw: Any, label: str) -> int | None:
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None
    if isinstance(raw, bool):
        raise FieldValueError(
            field_code, _("%(field)s: '%(value)s' is not a whole number."), field=label, value=raw
        )
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float) and raw.is_integer():
        value = int(raw)
    else:
        text = str(raw).strip().replace(".", "").replace(" ", "").replace("đ", "")
        if not text.lstrip("-").isdecimal():
            raise FieldValueError(
                field_code,
                _("%(field)s: '%(value)s' is not a whole number."),
                field=label,
                value=raw,
            )
        value = int(text)
    if value < 0:
        raise FieldValueError(field_code, _("%(field)s: cannot be negative."), field=label)
    return value


def clean_values(version: FormVersion, raw: dict[str, Any]) -> dict[str, Any]:
    """Typed values checked against the form's fields (kinds, table columns)."""
    if not isinstance(raw, dict):
        raise FieldValueError("values", _("The figures must be a mapping of field codes."))
    fields = version.fields_by_code
    out: dict[str, Any] = {}
    for code, value in raw.items():
        f = fields.get(code)
        if f is None:
            raise FieldValueError(code, _("%(code)s is not a field of this form."), code=code)
        if f.kind in (FieldKind.AUTO, FieldKind.TASK_REPORTS):
            raise FieldValueError(code, _("%(field)s is filled automatically."), field=f.label)
        if f.kind in (FieldKind.INTEGER, FieldKind.MONEY):
            out[code] = _to_int(code, value, f.label)
        elif f.kind == FieldKind.TEXT:
            text = "" if value is None else str(value).strip()
            if len(text) > 20000:
                raise FieldValueError(code, _("%(field)s: the text is too long."), field=f.label)
            out[code] = text
        else:
            out[code] = clean_rows(f, value)
    return out


def clean_rows(f: FormField, value: Any) -> list[dict[str, Any]]:
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        raise FieldValueError(f.code, _("%(field)s: a table is a list of rows."), field=f.label)
    rows = []
    for number, row in enumerate(value, 1):
        if not isinstance(row, dict):
            raise FieldValueError(
                f.code,
                _("%(field)s, row %(row)s: a row maps columns to values."),
                field=f.label,
                row=number,
            )
        clean: dict[str, Any] = {}
        for col in f.columns:
            cell = row.get(col["key"])
            if col["kind"] == "text":
                clean[col["key"]] = "" if cell is None else str(cell).strip()[:1000]
            else:
                try:
                    clean[col["key"]] = _to_int(f.code, cell, col["label"])
                except FieldValueError as exc:
                    raise FieldValueError(
                        f.code,
                        _("%(field)s, row %(row)s: %(problem)s"),
                        field=f.label,
                        row=number,
                        problem=str(exc),
                    ) from None
        unknown = set(row) - {c["key"] for c in f.columns}
        if unknown:
            raise FieldValueError(
                f.code,
                _("%(field)s, row %(row)s: unknown column %(column)s."),
                field=f.label,
                row=number,
                column=sorted(unknown)[0],
            )
        if any(v not in (None, "") for v in clean.values()):
            rows.append(clean)
    return rows


def missing_required(version: FormVersion, values: dict[str, Any]) -> list[FormField]:
    return [
        f
        for f in version.field_list
        if f.required and f.is_manual and values.get(f.code) in (None, "", [])
    ]


# --- aggregation upward --------------------------------------------------------------------
@dataclass
class ChildRow:
    unit: Unit
    submission: Submission | None
    approved: dict[str, Any] = field(default_factory=dict)
    live: dict[str, Any] = field(default_factory=dict)
    on: datetime.date | None = None  # the period's end

    @property
    def name(self) -> str:
        """The unit as it was named at the period's end (``pcmd.geo.models.name_on_date``)."""
        return name_on_date(self.unit, self.on)

    @property
    def status(self) -> str:
        return self.submission.status if self.submission else ""


@dataclass
class Aggregate:
    form: ReportForm
    version: FormVersion
    parent: Unit
    period: Period
    fields: list[FormField]
    rows: list[ChildRow]
    totals_approved: dict[str, Any]
    totals_live: dict[str, Any]

    @property
    def approved_count(self) -> int:
        return sum(1 for r in self.rows if r.status == SubmissionStatus.APPROVED)


def aggregate(
    form: ReportForm, parent: Unit, period: Period, *, user: Any = None
) -> Aggregate | None:
    """The level below ``parent`` for ``form``: approved figures beside live ones.

    Children are the units one level down that report on ``form`` (communes of a district,
    districts of a province). Live figures come from the engine (automatic fields).

    With ``user``, the figures are as that user may see them: small counts of people are
    ``"<5"`` outside person-level roles (:mod:`pcmd.reporting.privacy`); without, they are
    exact (for computing, e.g. :func:`sums_of_children`; never for showing).
    """
    version = form.current
    if version.reporter_kind != "unit":
        return None
    levels = [lv for lv in version.reporter_levels if lv == parent.level + 1]
    if not levels:
        return None
    children = list(
        Unit.objects.filter(parent=parent, level__in=levels)
        .filter(valid_on_q(period.end))
        .order_by("code")
        .prefetch_related("names")
    )
    subs = {
        s.unit_id: s
        for s in Submission.objects.filter(
            form=form, period_code=period.code, unit__in=children, agency__isnull=True
        )
    }
    fields = [f for f in version.field_list if f.is_numeric]
    live = evaluate_auto_by_child(version, parent, period)
    rows = []
    totals_approved: dict[str, Any] = {f.code: 0 for f in fields}
    totals_live: dict[str, Any] = {}
    for unit in children:
        sub = subs.get(unit.pk)
        approved: dict[str, Any] = {}
        if sub is not None and sub.status == SubmissionStatus.APPROVED:
            for f in fields:
                approved[f.code] = (sub.auto_values if f.is_auto else sub.values).get(f.code)
                if isinstance(approved[f.code], int | float):
                    totals_approved[f.code] += approved[f.code]
        row_live = {code: per_child.get(unit.pk) for code, per_child in live.items()}
        for code, value in row_live.items():
            if isinstance(value, int | float):
                totals_live[code] = totals_live.get(code, 0) + value
        rows.append(ChildRow(unit, sub, approved, row_live, period.end))
    if user is not None:
        from .privacy import suppression

        hide = suppression(version, user)
        if hide:
            for row in rows:
                row.approved = hide.mapping(row.approved)
                row.live = hide.mapping(row.live)
            totals_approved = hide.mapping(totals_approved)
            totals_live = hide.mapping(totals_live)
    return Aggregate(form, version, parent, period, fields, rows, totals_approved, totals_live)


def sums_of_children(agg: Aggregate) -> dict[str, int]:
    """Typed numeric fields summed over the approved reports below (for "fill from below")."""
    return {
        f.code: int(agg.totals_approved.get(f.code) or 0)
        for f in agg.fields
        if f.kind in (FieldKind.INTEGER, FieldKind.MONEY)
    }


def today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()
