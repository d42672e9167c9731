"""Writes to budget lines: one transaction, permission and scope, one audit row each."""

from __future__ import annotations

from typing import Any, NoReturn, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Field
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.permissions import allows, require
from pcmd.agencies.models import Agency
from pcmd.core import audit
from pcmd.core.concurrency import save_versioned

from .models import BudgetCategory, BudgetLine, FundingSource

FIELDS = ["year", "agency", "category", "source", "description", "planned", "spent", "note"]
MAX_AMOUNT = 10**15  # a quadrillion đồng: anything above is a typing error


def can_record(actor: Any, agency: Agency) -> bool:
    """Whether ``actor`` may record the budget of ``agency`` (``pcmd.accounts.policy``:
    officers of the agency itself; the standing office, district officers and administrators
    for the agencies of their area)."""
    return allows(actor, "budget.edit", unit=agency.unit, obj=BudgetLine(agency=agency))


def _fail(field: str, message: Any, **params: Any) -> NoReturn:
    raise ValidationError({field: [ValidationError(message, params=params or None)]})


def validate(values: dict[str, Any]) -> None:
    """The rules of a budget line (also used row by row by the import)."""
    year = values.get("year")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        _fail("year", _("The year must be between 2000 and 2100."))
    if values.get("source") not in FundingSource.values:
        _fail(
            "source",
            _("The funding source must be one of: %(values)s."),
            values=", ".join(FundingSource.values),
        )
    category = values.get("category")
    if not isinstance(category, BudgetCategory) or not category.is_active:
        _fail("category", _("Choose a category in use."))
    if not (values.get("description") or "").strip():
        _fail("description", _("Describe the activity."))
    for key in ("planned", "spent"):
        amount = values.get(key)
        if (
            isinstance(amount, bool)
            or not isinstance(amount, int)
            or amount < 0
            or amount > MAX_AMOUNT
        ):
            _fail(
                key,
                _("%(name)s must be a whole number of đồng, 0 or more."),
                name=cast("Field[Any, Any]", BudgetLine._meta.get_field(key)).verbose_name,
            )
    if values["spent"] > values["planned"] and not (values.get("note") or "").strip():
        _fail("note", _("Spending exceeds the plan: explain why in the note."))


@transaction.atomic
def save_budget_line(
    line: BudgetLine | None, *, actor: Any, expected_version: int | None = None, **values: Any
) -> BudgetLine:
    """Create (``line=None``) or update a budget line."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValueError(f"not budget fields: {sorted(unknown)}")
    if line is not None:
        require(actor, "budget.edit", obj=line)
    merged: dict[str, Any] = (
        {k: getattr(line, k) for k in FIELDS}
        if line is not None
        else {"planned": 0, "spent": 0, "note": "", "description": ""}
    )
    merged.update(values)
    agency = merged.get("agency")
    if not isinstance(agency, Agency):
        _fail("agency", _("Choose an agency."))
    require(actor, "budget.edit", unit=agency.unit, obj=BudgetLine(agency=agency))
    validate(merged)
    merged["description"] = merged["description"].strip()
    merged["note"] = (merged.get("note") or "").strip()
    if line is None:
        line = BudgetLine.objects.create(**merged)
        audit.record(
            actor=actor,
            verb="budget_line.create",
            obj=line,
            changes=audit.diff({}, audit.snapshot(line, FIELDS)),
        )
        return line
    before = audit.snapshot(line, FIELDS)
    for key, value in merged.items():
        setattr(line, key, value)
    save_versioned(line, expected_version, FIELDS)
    audit.record(
        actor=actor,
        verb="budget_line.update",
        obj=line,
        changes=audit.diff(before, audit.snapshot(line, FIELDS)),
    )
    return line


@transaction.atomic
def delete_budget_line(line: BudgetLine, *, actor: Any, expected_version: int | None) -> None:
    require(actor, "budget.edit", obj=line)
    line.is_deleted = True
    save_versioned(line, expected_version, ["is_deleted"])
    audit.record(
        actor=actor, verb="budget_line.delete", obj=line, changes={"is_deleted": [False, True]}
    )


@transaction.atomic
def import_budget_lines(rows: list[dict[str, Any]], *, actor: Any) -> int:
    """Create every clean import row, or nothing (the caller checked each row)."""
    require(actor, "budget.edit")
    for row in rows:
        save_budget_line(None, actor=actor, **{k: row[k] for k in FIELDS})
    audit.record(
        actor=actor,
        verb="budget_line.import",
        object_type="budget.budgetline",
        changes={"rows": [None, len(rows)]},
    )
    return len(rows)


CATEGORIES = [
    ("truyen-thong", "Tuyên truyền, truyền thông", "Communication"),
    ("tap-huan", "Tập huấn, nâng cao năng lực", "Training"),
    ("kiem-tra", "Thanh tra, kiểm tra (Đội 178)", "Inspection"),
    ("ho-tro", "Hỗ trợ người bán dâm tái hòa nhập cộng đồng", "Support for people who sold sex"),
    ("mo-hinh", "Mô hình phòng, chống mại dâm ở xã, phường", "Commune models"),
    ("khac", "Chi khác", "Other"),
]


@transaction.atomic
def ensure_categories(*, actor: Any = None) -> int:
    """The seeded category catalog (data migration 0002); recreated if a database was
    flushed. Returns how many were created."""
    require(actor, "catalogs.edit")
    created = 0
    for order, (code, name, name_en) in enumerate(CATEGORIES, 1):
        _obj, new = BudgetCategory.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "order": order}
        )
        created += new
    if created:
        audit.record(
            actor=actor,
            verb="budget_category.seed",
            object_type="budget.budgetcategory",
            changes={"created": [None, created]},
        )
    return created
