"""Writes of the document proposal: read a document into a stored proposal, and accept a
reviewed proposal as a new draft plan (``actions.create_draft``). Only holders of
``plan.edit`` (the standing office, administrators) may do either."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pcmd.accounts.permissions import allows, require
from pcmd.core import audit
from pcmd.geo.models import Unit, UnitLevel

from . import actions
from .agency_match import AgencyMatcher, catalog_for
from .models import Plan
from .models_proposal import PlanProposal, ProposalSource
from .proposal import find_province, propose
from .proposal_read import DocumentRefused, Para, paragraphs_from_docx, paragraphs_from_text

# Header fields of a proposal that a draft takes (number, date and signer come at issue).
DRAFT_HEADER = (
    "title",
    "period_start",
    "period_end",
    "plan_type",
    "kind",
    "place",
    "signer_authority",
    "signer_title",
)


def editable_provinces(actor: Any) -> list[Unit]:
    """Provinces where ``actor`` may draft plans (those valid today first)."""
    today = datetime.date.today()
    units = [
        u
        for u in Unit.objects.filter(level=UnitLevel.PROVINCE)
        if allows(actor, "plan.edit", unit=u)
    ]
    return sorted(units, key=lambda u: (not u.is_valid_on(today), u.code))


def _read(
    paras: list[Para], actor: Any, province: Unit | None
) -> tuple[dict[str, Any], Unit | None]:
    units = editable_provinces(actor)
    first = propose(paras, AgencyMatcher([]), [])
    date = first["header"].get("date", {}).get("value")
    if date:
        on = datetime.date.fromisoformat(date)
        units.sort(key=lambda u: not u.is_valid_on(on))
    found = find_province(first["header"], units)
    unit = province
    if unit is None and found is not None:
        unit = next(u for u in units if u.pk == found["value"]["id"])
    if unit is None and units:
        unit = units[0]
    proposal = propose(paras, catalog_for(unit), [unit] if unit else [])
    if unit is not None and "province" not in proposal["header"]:
        proposal["header"]["province"] = {
            "value": {"id": unit.pk, "code": unit.code, "name": unit.short_name or unit.name},
            "source": "",
            "confidence": "low",
            "reason": _("the document names no province you draft for: your own is proposed"),
        }
    return proposal, unit


@transaction.atomic
def create_proposal(
    *,
    actor: Any,
    data: bytes | None = None,
    text: str | None = None,
    filename: str = "",
    province: Unit | None = None,
) -> PlanProposal:
    """Read a DOCX (``data``) or pasted ``text`` into a stored proposal owned by ``actor``.
    Raises ValidationError naming ``file`` or ``text`` when the document cannot be read."""
    require(actor, "plan.edit", unit=province)
    if province is not None and province.level != UnitLevel.PROVINCE:
        raise ValidationError({"province": gettext_lazy("Choose the province of the plan.")})
    field = "file" if data is not None else "text"
    try:
        if data is not None:
            paras = paragraphs_from_docx(data)
        elif text is not None and text.strip():
            paras = paragraphs_from_text(text)
        else:
            raise DocumentRefused(gettext_lazy("Upload a .docx file or paste the plan's text."))
    except DocumentRefused as exc:
        raise ValidationError({field: exc.message}) from None
    if not paras:
        raise ValidationError({field: gettext_lazy("The document has no text.")})
    proposal, unit = _read(paras, actor, province)
    row = PlanProposal.objects.create(
        owner=actor,
        source=ProposalSource.DOCX if data is not None else ProposalSource.TEXT,
        filename=filename[:200],
        unit=unit,
        proposal=proposal,
    )
    audit.record(
        actor=actor,
        verb="plan.propose",
        obj=row,
        changes={"paragraphs": [None, proposal["stats"]["paragraphs"]]},
    )
    return row


def draft_header(proposal: dict[str, Any], fixed: dict[str, Any] | None = None) -> dict[str, Any]:
    """The header ``create_draft`` takes: the proposal's values, then the reviewer's."""
    found = proposal.get("header") or {}
    header = {k: found[k]["value"] for k in DRAFT_HEADER if k in found}
    for key, value in (fixed or {}).items():
        if key in DRAFT_HEADER and value not in (None, ""):
            header[key] = value
    for key in ("period_start", "period_end"):
        if isinstance(header.get(key), str):
            try:
                header[key] = datetime.date.fromisoformat(header[key])
            except ValueError:
                header[key] = None
    return header


@transaction.atomic
def accept_proposal(
    proposal: PlanProposal,
    *,
    actor: Any,
    header: dict[str, Any],
    content: dict[str, Any],
    province: Unit | None = None,
) -> Plan:
    """A new draft plan from a reviewed proposal: ``header`` (see :func:`draft_header`) and
    ``content`` in the shape of :mod:`.structure`. Raises StructureError naming the item."""
    if proposal.owner_id != getattr(actor, "pk", None):
        raise PermissionDenied
    if proposal.plan_id is not None:
        # accepted once already: the same draft, never a second one
        return Plan.objects.get(pk=proposal.plan_id)
    unit = province or proposal.unit
    if unit is None:
        raise ValidationError({"province": gettext_lazy("Choose the province of the plan.")})
    plan = actions.create_draft(
        unit, header, content, actor=actor, note=_("Drafted from a document")
    )
    proposal.plan = plan
    proposal.unit = unit
    proposal.save(update_fields=["plan", "unit"])
    return plan
