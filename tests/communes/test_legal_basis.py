"""Joint Resolution 01/2008 took effect on 07/10/2008: the seeded template says so, and the
data migration adds the date to a database seeded before."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps

from pcmd.communes.models import AssessmentTemplate

pytestmark = pytest.mark.django_db


def test_seeded_template_gives_the_effective_date() -> None:
    template = AssessmentTemplate.objects.order_by("pk").first()
    assert template is not None
    assert "28/08/2008 (hiệu lực từ 07/10/2008)" in template.legal_basis


def test_migration_adds_the_date_to_an_older_seed() -> None:
    migration = importlib.import_module("pcmd.communes.migrations.0003_nqlt_effective_date")
    template = AssessmentTemplate.objects.order_by("pk").first()
    assert template is not None
    template.legal_basis = template.legal_basis.replace(migration.NEW, migration.OLD)
    template.save(update_fields=["legal_basis"])
    assert "07/10/2008" not in AssessmentTemplate.objects.get(pk=template.pk).legal_basis
    migration.add_date(django_apps, None)
    assert "hiệu lực từ 07/10/2008" in AssessmentTemplate.objects.get(pk=template.pk).legal_basis
