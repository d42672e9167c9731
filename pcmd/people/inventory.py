"""The processing inventory: every personal field the system holds, declared in code with its
purpose, legal basis and retention; who may see it is derived from the roles (issue 11 item 9).

Any module that adds a personal field declares it here (usually at import of its models or
in ``AppConfig.ready``)::

    from pcmd.people import inventory
    inventory.declare(inventory.Declaration("people.consent", "note", _("note"), purpose=…,
                      legal_basis=…, capability="people.identity", modules=("support",)))

tests/people/test_inventory.py fails when an identity field of :class:`Person`, or any
encrypted field of any model, has no declaration. The page ``/people/inventory/`` and the
DOCX annex for the impact-assessment dossier are generated from these declarations.

Legal sources (read in secondary copies; an administrator should confirm the official text):
Personal Data Protection Law 91/2025/QH15 (26/06/2025, in force 01/01/2026); Decree
356/2025/NĐ-CP (31/12/2025, in force 01/01/2026; Art. 3 basic and Art. 4 sensitive personal
data — ethnic origin and data on violations of law are sensitive); Law on Handling
Administrative Violations 15/2012/QH13 as amended by Law 67/2020/QH14; Decree 144/2021/NĐ-CP;
Ordinance 10/2003/PL-UBTVQH11 on prostitution prevention; Criminal Procedure Code 2015.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.roles import CAPABILITIES, IDENTITY_MODULES, Capability, Role

from .fields import EncryptedField
from .models import IDENTITY_FIELDS, Module

BASIC = "basic"
SENSITIVE = "sensitive"
CATEGORIES: dict[str, Promise] = {
    BASIC: _("basic personal data"),
    SENSITIVE: _("sensitive personal data"),
}

# The legal bases, named once.
PDPL = _(
    "Personal Data Protection Law 91/2025/QH15 and Decree 356/2025/NĐ-CP (processing needed "
    "for tasks of state agencies under the law)"
)
SANCTIONS = _(
    "Law on Handling Administrative Violations 15/2012/QH13, amended by Law 67/2020/QH14; "
    "Decree 144/2021/NĐ-CP (sanctions for prostitution-related acts)"
)
SUPPORT = _(
    "Ordinance 10/2003/PL-UBTVQH11 on prostitution prevention (support and reintegration); "
    "consent of the person (Law 91/2025/QH15)"
)
CASES = _("Criminal Procedure Code 2015 (persons named in criminal cases)")
ALL_MODULES = tuple(value for value, _label in Module.choices)


@dataclass(frozen=True)
class Declaration:
    """One personal field: what it is for, on what legal basis, and how long it is kept.

    ``capability`` and ``modules`` say who may see it: the roles holding ``capability``, and
    for ``people.identity`` only in the modules of ``IDENTITY_MODULES`` that are listed.
    ``retention`` ``None`` means the identity retention of the modules (pcmd.people.retention).
    """

    model: str
    field: str
    label: Promise | str
    purpose: Promise | str
    legal_basis: tuple[Promise | str, ...]
    category: str = BASIC
    capability: str = Capability.VIEW_IDENTITY
    modules: tuple[str, ...] = ALL_MODULES
    retention: Promise | str | None = None
    encrypted: bool = True

    @property
    def key(self) -> tuple[str, str]:
        return (self.model, self.field)


DECLARATIONS: dict[tuple[str, str], Declaration] = {}


def declare(*items: Declaration) -> None:
    for item in items:
        DECLARATIONS[item.key] = item


def declarations() -> list[Declaration]:
    return list(DECLARATIONS.values())


def undeclared_identity_fields() -> list[str]:
    return [n for n in IDENTITY_FIELDS if ("people.person", n) not in DECLARATIONS]


def undeclared_encrypted_fields() -> list[str]:
    """``app.model.field`` of every encrypted field of any model without a declaration."""
    missing = []
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, EncryptedField) and (model._meta.label_lower, f.name) not in (
                DECLARATIONS
            ):
                missing.append(f"{model._meta.label_lower}.{f.name}")
    return missing


@dataclass(frozen=True)
class Viewer:
    role: str
    where: str


def _module_labels(modules: Iterable[str]) -> str:
    labels = dict(Module.choices)
    return ", ".join(str(labels[m]) for m in ALL_MODULES if m in set(modules))


def who_may_see(decl: Declaration) -> list[Viewer]:
    """Derived from pcmd.accounts.roles, never typed by hand."""
    viewers = []
    for role, caps in CAPABILITIES.items():
        if decl.capability not in caps:
            continue
        label = str(Role(role).label)
        if decl.capability == Capability.VIEW_IDENTITY:
            modules = IDENTITY_MODULES.get(role, frozenset()) & set(decl.modules)
            if not modules:
                continue
            where = str(
                _("%(modules)s, in the units of their assignment")
                % {"modules": _module_labels(modules)}
            )
        else:
            where = str(_("in the units of their assignment"))
        viewers.append(Viewer(label, where))
    if decl.capability == Capability.VIEW_IDENTITY:
        viewers.append(
            Viewer(
                str(_("any user under emergency access")),
                str(_("with a written reason, time-limited, logged and reviewed")),
            )
        )
    return viewers


def retention_text(decl: Declaration) -> list[str]:
    if decl.retention is not None:
        return [str(decl.retention)]
    from . import retention

    labels = dict(Module.choices)
    return [f"{labels[m]}: {retention.describe(m)}" for m in ALL_MODULES if m in decl.modules]


@dataclass(frozen=True)
class Row:
    """One line of the inventory as shown on the page and in the annex."""

    declaration: Declaration
    label: str
    category: str
    purpose: str
    legal_basis: list[str]
    viewers: list[Viewer]
    retention: list[str]
    encrypted: bool


def rows() -> list[Row]:
    out = []
    for d in declarations():
        out.append(
            Row(
                declaration=d,
                label=str(d.label),
                category=str(CATEGORIES.get(d.category, d.category)),
                purpose=str(d.purpose),
                legal_basis=[str(b) for b in d.legal_basis],
                viewers=who_may_see(d),
                retention=retention_text(d),
                encrypted=d.encrypted,
            )
        )
    return out


@dataclass(frozen=True)
class Line:
    """A row as printed: legal bases as numbers into the list of bases; viewers and
    retention left empty (``same_*``) when they repeat the row above."""

    row: Row
    bases: list[int]
    same_viewers: bool
    same_retention: bool


def lines() -> tuple[list[Line], list[str]]:
    """The rows for the page and the annex, and the numbered list of legal bases."""
    bases: list[str] = []
    out: list[Line] = []
    previous: Row | None = None
    for r in rows():
        numbers = []
        for basis in r.legal_basis:
            if basis not in bases:
                bases.append(basis)
            numbers.append(bases.index(basis) + 1)
        out.append(
            Line(
                r,
                numbers,
                previous is not None and previous.viewers == r.viewers,
                previous is not None and previous.retention == r.retention,
            )
        )
        previous = r
    return out, bases


def _person(field: str, purpose: Any, category: str = BASIC, **kw: Any) -> Declaration:
    from .models import Person

    label = Person._meta.get_field(field).verbose_name  # type: ignore[union-attr]
    return Declaration(
        "people.person",
        field,
        label,
        purpose,
        kw.pop("legal_basis", (PDPL, SANCTIONS, SUPPORT, CASES)),
        category,
        **kw,
    )


KEPT = _(
    "kept while the record exists (it holds no identity once the identity is removed; counts "
    "depend on it)"
)

declare(
    _person(
        "full_name",
        _(
            "Identify the person in sanction decisions, criminal cases and support; find records "
            "of the same person (blind index)"
        ),
    ),
    _person("other_names", _("Identify a person known under other names")),
    _person(
        "birth_date", _("Identify the person; tell whether they are a minor (special protection)")
    ),
    _person(
        "birth_year",
        _("Identify the person when only the year is known; find records of the same person"),
    ),
    _person(
        "id_number",
        _("Identify the person (CCCD or old CMND); find records of the same person (blind index)"),
    ),
    _person("phone", _("Contact the person for support services; find duplicate records")),
    _person(
        "ethnicity",
        _("Identify the person as on their ID card; adapt support (language, customs)"),
        SENSITIVE,
    ),
    _person("nationality", _("Identify the person; foreign nationals follow other procedures")),
    _person(
        "permanent_address",
        _("Identify the person; hand over to the commune of residence for support"),
    ),
    _person("current_address", _("Reach the person for support; identify them")),
    _person(
        "sex",
        _("Counts by sex in reports; adapt support"),
        retention=KEPT,
        encrypted=False,
    ),
    _person(
        "permanent_unit",
        _("Counts by commune of residence; hand-over to the commune for support"),
        retention=KEPT,
        encrypted=False,
    ),
    _person(
        "current_unit",
        _("Counts by commune of residence; support near where the person lives"),
        retention=KEPT,
        encrypted=False,
    ),
    Declaration(
        "people.involvement",
        "module",
        _("records naming the person (module, unit, dates)"),
        _("Decide who may see the identity; count distinct persons; retention"),
        (SANCTIONS, SUPPORT, CASES),
        SENSITIVE,
        retention=KEPT,
        encrypted=False,
    ),
    Declaration(
        "people.accesslog",
        "person",
        _("reads of the identity (who, when, where, why)"),
        _("Accountability: show the person and supervisors who read an identity"),
        (PDPL,),
        BASIC,
        capability=Capability.VIEW_ACCESS_LOG,
        retention=_("kept as long as the record of the person (append-only)"),
        encrypted=False,
    ),
)


def annex(today: Any = None) -> bytes:
    """The inventory as a DOCX annex for the impact-assessment dossier (Law 91/2025/QH15)."""
    from django.utils import timezone, translation
    from django.utils.translation import gettext

    from .documents_privacy import Paper, Table, render

    with translation.override("vi"):
        printed, bases = lines()
        above = gettext("same as above")
        table = Table(
            "",
            [
                gettext("Ord."),
                gettext("Data"),
                gettext("Purpose"),
                gettext("Legal basis"),
                gettext("Who may see it"),
                gettext("Retention"),
            ],
            [
                [
                    str(n),
                    f"{x.row.label} ({x.row.category}"
                    f"{'; ' + gettext('encrypted') if x.row.encrypted else ''})",
                    x.row.purpose,
                    ", ".join(f"[{b}]" for b in x.bases),
                    above
                    if x.same_viewers
                    else "; ".join(f"{v.role}: {v.where}" for v in x.row.viewers),
                    above if x.same_retention else "; ".join(x.row.retention),
                ]
                for n, x in enumerate(printed, start=1)
            ],
            [9, 28, 38, 16, 42, 32],
        )
        paper = Paper(
            issuer_lines=[gettext("PEOPLE'S COMMITTEE")],
            number="",
            place="",
            day=today or timezone.localdate(),
            title=gettext("ANNEX"),
            subject=gettext("Inventory of personal data processing"),
            body=[
                gettext(
                    "Generated from the declarations in the system's code: every personal field, "
                    "its purpose, legal basis, who may see it (from the roles) and how long it "
                    "is kept."
                ),
                gettext(
                    "Every personal field here relates to administrative violations, crimes or "
                    "prostitution: the processing as a whole is treated as processing of "
                    "sensitive personal data (Decree 356/2025/NĐ-CP, Art. 4)."
                ),
                table,
                gettext("Legal bases:"),
                *[f"[{n}] {b}" for n, b in enumerate(bases, start=1)],
            ],
            recipients=[gettext("Impact-assessment dossier")],
        )
    return render(paper)
