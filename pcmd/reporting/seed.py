"""Seed the report forms the plan implies (``data/forms.yaml``).

Runs in migration 0002 (historical models through ``get_model``) and from
``manage.py load_report_forms`` / the demo (:func:`pcmd.reporting.actions.load_report_forms`).
Idempotent: a missing form is created; a form whose definition in the file differs from its
current version gets a new version (past submissions keep theirs).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.apps import apps as django_apps

from pcmd.core import yamldata

from .definitions import GetModel, clean_definition, create_version, version_to_definition

FORMS_FILE = Path(__file__).with_name("data") / "forms.yaml"


def read_seed(path: Path = FORMS_FILE) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return list(yamldata.load(fh)["forms"])


def seed_forms(
    get_model: GetModel | None = None, *, path: Path = FORMS_FILE, created_by: Any = None
) -> dict[str, int]:
    """Create or update the seeded forms. Returns counts: ``{"forms": n, "versions": n}``."""
    get = get_model or django_apps.get_model
    ReportForm = get("reporting", "ReportForm")
    FormVersion = get("reporting", "FormVersion")
    specs = read_seed(path)
    known = {s["code"] for s in specs} | set(ReportForm.objects.values_list("code", flat=True))
    created_forms = 0
    forms = {}
    for spec in specs:
        form, created = ReportForm.objects.update_or_create(
            code=spec["code"],
            defaults={
                "name": spec["name"],
                "order": spec.get("order", 0),
                "valid_from": spec.get("valid_from"),
                "valid_to": spec.get("valid_to"),
                "legal_basis": spec.get("legal_basis", ""),
                "is_active": True,
            },
        )
        created_forms += int(created)
        forms[spec["code"]] = form
    versions = 0
    for spec in specs:
        form = forms[spec["code"]]
        definition = clean_definition(spec, forms=known)
        current = FormVersion.objects.filter(form=form).order_by("-number").first()
        if current is not None and version_to_definition(current, get_model=get) == definition:
            continue
        create_version(
            form, definition, created_by=created_by, get_model=get, change_note="data/forms.yaml"
        )
        versions += 1
    return {"forms": created_forms, "versions": versions}
