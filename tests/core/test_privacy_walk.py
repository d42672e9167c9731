"""Walks every count of people the code base can show and checks it is suppressed (DESIGN.md §4).

- every model field that looks like a count of people is declared in
  ``pcmd.indicators.privacy`` (``PEOPLE_COUNTS``, or ``NOT_SENSITIVE`` with the reason);
- every field of every API serializer that answers requests and shows a declared count is a
  ``PeopleCountField`` of the right register, and one that looks like a count of people but is
  declared nowhere fails;
- every template that reads a declared field goes through ``{% people %}``;
- an indicator that sums a declared field suppresses small values even without ``small_cells``.

A new model field, serializer or template that shows people without the helper fails here.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers

import pcmd
from pcmd.indicators import privacy
from pcmd.indicators.fields import PeopleCountField
from pcmd.indicators.models import Indicator

ROOT = Path(pcmd.__file__).resolve().parent

# Names that say "how many people": a field named so is a count of people until declared.
LOOKS_LIKE_PEOPLE = re.compile(
    r"people|person|participant|attendee|trainee|victim|suspect|offender|staff|employee|"
    r"worker|women|female|girl|minor|found|sanctioned|referred|supported|trafficked|"
    r"rescued|arrested|detained|persons"
)
NUMBERS = (
    serializers.IntegerField,
    serializers.FloatField,
    serializers.DecimalField,
    serializers.SerializerMethodField,
    serializers.ReadOnlyField,
)


def _pcmd_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("pcmd.")]


def _field(label: str) -> Any:
    app_model, name = label.rsplit(".", 1)
    return apps.get_model(app_model)._meta.get_field(name)


# --- the declarations ------------------------------------------------------------------------


def test_declarations_name_real_fields_and_registers() -> None:
    assert not set(privacy.PEOPLE_COUNTS) & set(privacy.NOT_SENSITIVE)
    for label, register in privacy.PEOPLE_COUNTS.items():
        assert isinstance(_field(label), models.IntegerField), label
        assert register in privacy.PERSON_LEVEL_ROLES, (label, register)
        assert register in privacy.RECORDING_CAPABILITY, (label, register)
    for label, reason in privacy.NOT_SENSITIVE.items():
        _field(label)  # a field or a relation (counted in the API)
        assert len(reason) > 40, f"say why {label} is not sensitive"


def test_every_model_count_of_people_is_declared() -> None:
    declared = set(privacy.PEOPLE_COUNTS) | set(privacy.NOT_SENSITIVE)
    counting = {label.rsplit(".", 1)[0] for label in privacy.PEOPLE_COUNTS}
    missing = []
    for model in _pcmd_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.IntegerField) or field.primary_key:
                continue
            label = f"{model._meta.label}.{field.name}"
            looks = LOOKS_LIKE_PEOPLE.search(field.name)
            # A model that counts people: each of its numbers is a count until declared (a
            # new kind of support added to SupportCount must be declared too).
            sibling = model._meta.label in counting and field.name != "version"
            if (looks or sibling) and label not in declared:
                missing.append(label)
    assert not missing, (
        f"declare {missing} in pcmd.indicators.privacy: PEOPLE_COUNTS (with the register "
        "whose person-level roles see it) or NOT_SENSITIVE (with the reason)"
    )


# --- the API ---------------------------------------------------------------------------------


def _import_all() -> None:
    for module in pkgutil.walk_packages(pcmd.__path__, "pcmd."):
        if ".migrations" in module.name or ".management" in module.name:
            continue
        importlib.import_module(module.name)


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def _request_only() -> set[type]:
    """Serializers the schema shows only as request bodies (they never answer)."""
    generator = SchemaGenerator()
    generator.get_schema(request=None, public=True)
    used: dict[type, set[bool]] = {}
    for (name, kind), component in generator.registry._components.items():
        if kind != "schemas" or isinstance(component.object, str):
            continue
        cls = component.object if isinstance(component.object, type) else type(component.object)
        used.setdefault(cls, set()).add(name.endswith("Request"))
    return {cls for cls, kinds in used.items() if kinds == {True}}


def _label(serializer: serializers.Serializer, name: str, field: Any) -> str | None:
    """``app.Model.field`` that ``field`` shows, following a dotted source; for a computed
    field (source ``*``), the relation its name counts (``participants_count``)."""
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    if model is None:
        return None
    source = field.source if field.source not in (None, "", "*") else name
    if field.source == "*" or isinstance(field, serializers.SerializerMethodField):
        source = re.sub(r"^n_|_count$", "", name)
    *path, last = source.split(".")
    for step in path:
        try:
            model = model._meta.get_field(step).related_model
        except Exception:
            return None
        if model is None:
            return None
    return f"{model._meta.label}.{last}"


def test_every_api_field_counting_people_is_suppressed(db: Any) -> None:
    _import_all()
    request_only = _request_only()
    classes = sorted(
        (
            c
            for c in _subclasses(serializers.BaseSerializer)
            if c.__module__.startswith("pcmd.") and not issubclass(c, serializers.ListSerializer)
        ),
        key=lambda c: f"{c.__module__}.{c.__qualname__}",
    )
    assert len(classes) > 40, "the walk found too few serializers"
    seen, leaks = set(), []
    for cls in classes:
        if cls in request_only:
            continue
        serializer = cls(context={})
        for name, field in serializer.fields.items():
            if field.write_only or isinstance(field, serializers.BaseSerializer):
                continue
            where = f"{cls.__module__}.{cls.__qualname__}.{name}"
            label = _label(serializer, name, field)
            if label in privacy.PEOPLE_COUNTS:
                seen.add(label)
                wanted = privacy.PEOPLE_COUNTS[label]
                if not (isinstance(field, PeopleCountField) and field.register == wanted):
                    leaks.append(f'{where}: use PeopleCountField("{wanted}")')
            elif label in privacy.NOT_SENSITIVE:
                continue
            elif isinstance(field, NUMBERS) and LOOKS_LIKE_PEOPLE.search(name):
                if not isinstance(field, PeopleCountField):
                    leaks.append(f"{where}: a count of people? declare it in indicators.privacy")
    assert not leaks, "\n".join(leaks)
    assert {
        "enforcement.Violation.people_count",
        "hotspots.Patrol.people_found",
        "support.SupportCount.vocational_training",
    } <= seen


def test_the_schema_says_integer_in_requests_and_integer_or_lt5_in_answers() -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    answer = components["Patrol"]["properties"]["people_found"]
    assert [part.get("type") for part in answer["oneOf"]] == ["integer", "string"]
    assert answer["oneOf"][1]["enum"] == [f"<{privacy.threshold()}"]
    assert components["SupportCountRequest"]["properties"]["loans"]["type"] == "integer"


# --- templates --------------------------------------------------------------------------------

TAG = re.compile(r"\{[{%].*?[}%]\}", re.S)


def test_every_template_reading_a_count_of_people_uses_the_people_tag() -> None:
    names = sorted({label.rsplit(".", 1)[1] for label in privacy.PEOPLE_COUNTS})
    attribute = re.compile(r"(\w+)\.(" + "|".join(names) + r")\b")
    leaks, checked = [], 0
    for path in sorted(ROOT.glob("*/templates/**/*.html")):
        for tag in TAG.findall(path.read_text(encoding="utf-8")):
            for owner, _name in attribute.findall(tag):
                checked += 1
                if owner == "form" or tag.startswith("{% people "):
                    continue
                leaks.append(f"{path.relative_to(ROOT)}: {tag[:120]}")
    assert checked, "the walk found no template reading a count of people"
    assert not leaks, "use {% people value register %}:\n" + "\n".join(leaks)


# --- indicators -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_indicators_summing_people_are_flagged_and_suppressed_even_without_the_flag(
    persona: Any,
) -> None:
    for indicator in Indicator.objects.all():
        assert privacy.counts_people(indicator) == indicator.small_cells, indicator.code
    unflagged = Indicator(code="x", source="violations", measure="people_count", kind="sum")
    assert privacy.counts_people(unflagged)
    assert privacy.must_suppress(unflagged, persona("lanhdao"))
    assert not privacy.must_suppress(unflagged, persona("congan"))
    count = Indicator(code="y", source="violations", measure="", kind="count")
    assert not privacy.must_suppress(count, persona("lanhdao"))
