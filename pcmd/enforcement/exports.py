"""The register of sanction decisions as a table (XLSX or CSV).

Persons appear by their pseudonymous code. A name is written only when the user holds
``people.identity``, asked for names and gave a reason, and then only for the persons
:func:`pcmd.people.access.reveal_many` reveals on the ``export`` surface (one access-log row
per person exported, the reason as its purpose); the others keep their code.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook

from pcmd.accounts.roles import Capability
from pcmd.core.spreadsheet import csv_row, workbook_bytes
from pcmd.people import access

from .models import Sanction, SanctionedPerson, SubjectKind

MAX_ROWS = 20_000


def export_queryset(user: Any) -> QuerySet[Sanction]:
    return (
        Sanction.objects.visible_to(user)
        .select_related(
            "violation",
            "violation__violation_type",
            "violation__commune",
            "violation__commune__parent",
            "violation__establishment",
        )
        .prefetch_related(
            Prefetch(
                "named_persons",
                queryset=SanctionedPerson.objects.select_related("person").order_by("pk"),
            )
        )
        .order_by("date", "pk")
    )


def may_export_identities(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.can(Capability.VIEW_IDENTITY))


def header() -> list[str]:
    return [
        _("Decision number"),
        _("Decision date"),
        _("Violation date"),
        _("Commune"),
        _("District"),
        _("Legal basis"),
        _("Subject"),
        _("Establishment"),
        _("Persons"),
        _("Main sanction"),
        _("Fine (VND)"),
        _("Status"),
        _("Status since"),
        _("Pay by"),
        _("Deemed never sanctioned from"),
    ]


def _label(row: SanctionedPerson, shown: set[int]) -> str:
    person = row.person
    if person.pk in shown:
        return f"{person.full_name} ({person.code})"
    return person.code


def rows(sanctions: Iterable[Sanction], shown: set[int]) -> list[list[Any]]:
    out = []
    for s in sanctions:
        v = s.violation
        organisation = v.subject_kind == SubjectKind.ORGANISATION
        out.append(
            [
                s.number,
                s.date,
                v.date,
                v.commune.name,
                v.commune.parent.name if v.commune.parent else "",
                v.violation_type.legal_reference,
                v.get_subject_kind_display(),
                v.establishment.name if organisation and v.establishment else "",
                "; ".join(_label(r, shown) for r in s.named_persons.all()),
                s.get_form_display(),
                s.amount,
                s.get_status_display(),
                s.status_since,
                s.payment_deadline,
                s.clean_from,
            ]
        )
    return out


def build(user: Any, *, identities: bool, reason: str, fmt: str, path: str = "") -> bytes:
    """The file's bytes. Names only under the rule in the module docstring."""
    sanctions = list(export_queryset(user)[:MAX_ROWS])
    shown: set[int] = set()
    if identities and reason.strip() and may_export_identities(user):
        persons = {r.person_id: r.person for s in sanctions for r in s.named_persons.all()}
        shown = access.reveal_many(
            user, persons.values(), "export", path=path, purpose=reason.strip()
        )
    table = [header(), *rows(sanctions, shown)]
    if fmt == "csv":
        buf = io.StringIO()
        buf.write("\ufeff")  # Excel opens UTF-8 with a BOM correctly
        writer = csv.writer(buf)
        for line in table:
            writer.writerow(csv_row(line))
        return buf.getvalue().encode("utf-8")
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Sanction decisions")[:31]
    for line in table:
        ws.append(line)
    return workbook_bytes(wb)
