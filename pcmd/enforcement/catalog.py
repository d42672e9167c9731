"""The violation catalog as data: ``data/violation-types.yaml`` (sources and notes inside).

:func:`apply` writes the file's rows into the ``ViolationType`` table; the data migrations call
it with their historical model, so a corrected file reaches existing databases through a new
migration. :func:`legal_maxima` gives the highest fine per decree (Law on Handling
Administrative Violations, Art. 24) that the sanction check and the catalog editor enforce.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pcmd.core import yamldata

DATA = Path(__file__).resolve().parent / "data" / "violation-types.yaml"


@dataclass(frozen=True)
class LegalMaximum:
    """The highest fine for one act in this field under ``document`` (Law Art. 24)."""

    document: str
    individual: int
    basis: str
    verified: bool
    note: str

    @property
    def organisation(self) -> int:
        # Law 15/2012/QH13 Art. 24(2): an organisation's fine is twice an individual's.
        return 2 * self.individual


def read(path: Path = DATA) -> dict[str, Any]:
    with open(path, encoding="utf-8") as fh:
        data: dict[str, Any] = yamldata.load(fh)
    return data


def _source_text(sources: dict[str, str], row: dict[str, Any]) -> str:
    parts = [sources[key] for key in row.get("source", [])]
    if row.get("unverified"):
        parts.append(f"Chưa đối chiếu: {row['unverified']}")
    return "\n".join(parts)


def rows(data: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The catalog rows as model field values, in file order."""
    data = data or read()
    sources = data["sources"]
    out = []
    for order, row in enumerate(data["types"], 1):
        individual = row.get("individual") or [None, None]
        organisation = row.get("organisation") or [None, None]
        out.append(
            {
                "code": row["code"],
                "name": row["name"],
                "name_en": row.get("name_en", ""),
                "document": row["document"],
                "article": str(row["article"]),
                "clause": str(row.get("clause", "")),
                "point": str(row.get("point", "")),
                "valid_from": row.get("valid_from"),
                "valid_to": row.get("valid_to"),
                "warning_allowed": bool(row.get("warning_allowed", False)),
                "fine_min_individual": individual[0],
                "fine_max_individual": individual[1],
                "fine_min_organisation": organisation[0],
                "fine_max_organisation": organisation[1],
                "additional_measures": row.get("additional_measures", ""),
                "source": _source_text(sources, row),
                "verified": bool(row.get("verified", False)),
                "order": order * 10,
                "is_active": bool(row.get("is_active", True)),
            }
        )
    return out


def apply(model: Any, data: dict[str, Any] | None = None) -> int:
    """Create or correct every catalog row of the file; codes are kept, nothing is deleted."""
    count = 0
    for values in rows(data):
        code = values.pop("code")
        model.objects.update_or_create(code=code, defaults=values)
        count += 1
    return count


@cache
def legal_maxima() -> dict[str, LegalMaximum]:
    """The statutory maxima of the file, by document (e.g. "Nghị định 144/2021/NĐ-CP")."""
    data = read()
    sources = data["sources"]
    return {
        m["document"]: LegalMaximum(
            document=m["document"],
            individual=int(m["individual"]),
            basis=m["basis"],
            verified=bool(m.get("verified", False)),
            note=_source_text(sources, m),
        )
        for m in data.get("maxima", [])
    }
