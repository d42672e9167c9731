"""Loading a scoring template from its YAML transcription (``data/*.yaml``).

Used by the data migration (with historical models) and by ``actions.import_template``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pcmd.core import yamldata

DATA_DIR = Path(__file__).with_name("data")
SEED_FILE = DATA_DIR / "nqlt-01-2008.yaml"


def read(path: Path | str = SEED_FILE) -> dict[str, Any]:
    with open(path, encoding="utf-8") as fh:
        return yamldata.load(fh)


def create_template(
    data: dict[str, Any], template_model: Any, criterion_model: Any, class_model: Any
) -> Any:
    template = template_model.objects.create(
        name=data["name"],
        legal_basis=data["legal_basis"],
        source=data.get("source", ""),
        unverified=data.get("unverified", ""),
        valid_from_year=data["valid_from_year"],
        valid_to_year=data.get("valid_to_year"),
        is_active=True,
    )
    criterion_model.objects.bulk_create(
        criterion_model(
            template=template,
            code=c["code"],
            group=c["group"],
            order=i,
            text=c["text"],
            max_points=c["max"],
            is_critical=c.get("critical", False),
        )
        for i, c in enumerate(data["criteria"], 1)
    )
    class_model.objects.bulk_create(
        class_model(
            template=template,
            code=c["code"],
            name=c["name"],
            kind=c["kind"],
            order=c.get("order", i),
            match=c.get("match", "all"),
            min_total=c.get("min_total"),
            max_total=c.get("max_total"),
            min_critical_failed=c.get("min_critical_failed"),
            max_critical_failed=c.get("max_critical_failed"),
        )
        for i, c in enumerate(data["classes"], 1)
    )
    return template
