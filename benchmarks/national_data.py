"""National benchmark data: the unit package's 63 provinces and rows in every register an
indicator counts, spread at random over the communes and 2016–2018.

Used by benchmarks/indicators_national.py. Sizes come from environment variables so that a
quick run can shrink them (``BENCH_PATROLS``, ``BENCH_ACTIVITIES``, ``BENCH_ESTABLISHMENTS``,
``BENCH_ROWS`` for each of the other event registers).
"""

from __future__ import annotations

import datetime
import os
import random
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.core.management import call_command
from django.db import connection, models, transaction

PATROLS = int(os.environ.get("BENCH_PATROLS", "1000000"))
ACTIVITIES = int(os.environ.get("BENCH_ACTIVITIES", "300000"))
ESTABLISHMENTS = int(os.environ.get("BENCH_ESTABLISHMENTS", "200000"))
ROWS = int(os.environ.get("BENCH_ROWS", "100000"))  # each other event register

START = datetime.date(2016, 1, 1)
DAYS = (datetime.date(2018, 12, 31) - START).days


def _filled(model: type[models.Model], values: dict[str, Any]) -> models.Model:
    """A row with every required field the caller left out set to a plain value (the first
    choice, "x", 1, a 2018 date): the benchmark only needs units, dates and keys to be real."""
    for f in model._meta.concrete_fields:
        if f.primary_key or f.name in values or f.attname in values:
            continue
        if f.null or f.has_default() or getattr(f, "auto_now", False):
            continue
        if getattr(f, "auto_now_add", False):
            continue
        if f.choices:
            values[f.name] = f.choices[0][0]
        elif isinstance(f, models.DateTimeField):
            values[f.name] = datetime.datetime(2018, 1, 1, tzinfo=datetime.UTC)
        elif isinstance(f, models.DateField):
            values[f.name] = datetime.date(2018, 1, 1)
        elif isinstance(f, (models.CharField, models.TextField)):
            values[f.name] = "x"
        elif isinstance(f, (models.IntegerField, models.DecimalField, models.FloatField)):
            values[f.name] = 1
        elif isinstance(f, models.BooleanField):
            values[f.name] = False
    return model(**values)


def _insert(model: type[models.Model], rows: Iterable[dict[str, Any]]) -> list[Any]:
    """Bulk insert in batches inside one transaction; returns the new primary keys."""
    ids: list[Any] = []
    it: Iterator[dict[str, Any]] = iter(rows)
    with transaction.atomic():
        while True:
            batch = [_filled(model, values) for _, values in zip(range(20_000), it, strict=False)]
            if not batch:
                break
            made = model._default_manager.bulk_create(batch)
            if made and made[0].pk is None:  # a backend without RETURNING ids
                last = model._default_manager.order_by("-pk").values_list("pk", flat=True)
                ids.extend(reversed(list(last[: len(made)])))
            else:
                ids.extend(obj.pk for obj in made)
    return ids


def build() -> dict[str, float]:
    from django.apps import apps

    from pcmd.geo.loader import legacy_province_codes, load_provinces
    from pcmd.geo.models import Unit, UnitLevel
    from pcmd.indicators.actions import load_indicators

    def model(label: str) -> Any:
        return apps.get_model(label)

    took: dict[str, float] = {}
    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    took["migrate"] = time.perf_counter() - t
    t = time.perf_counter()
    load_provinces(legacy_province_codes())
    took["units"] = time.perf_counter() - t
    call_command("load_agencies", verbosity=0)
    call_command("import_plan", verbosity=0)
    load_indicators(actor=None)
    communes = list(
        Unit.objects.filter(
            level=UnitLevel.COMMUNE,
            valid_from__isnull=True,
            valid_to__gte=datetime.date(2024, 12, 31),
        ).values_list("id", flat=True)
    )
    provinces = list(Unit.objects.filter(level=UnitLevel.PROVINCE, valid_from__isnull=True))
    rng = random.Random(20181842)

    def day() -> datetime.date:
        return START + datetime.timedelta(days=rng.randrange(DAYS + 1))

    def commune() -> int:
        return rng.choice(communes)

    t = time.perf_counter()
    agency = model("agencies.Agency").objects.get(code="UBND_TINH")
    agencies = list(model("agencies.Agency").objects.all())
    _insert(
        model("hotspots.Patrol"),
        (
            {
                "on": day(),
                "force": "CSTT",
                "commune_id": commune(),
                "people_found": rng.choice((0, 0, 0, 1, 2, 3, 5)),
            }
            for _ in range(PATROLS)
        ),
    )
    kind_model = model("registry.EstablishmentKind")
    kinds = list(kind_model.objects.all()) or [
        kind_model.objects.create(code="karaoke", name="Karaoke")
    ]
    est_communes = [commune() for _ in range(ESTABLISHMENTS)]
    establishments = _insert(
        model("registry.Establishment"),
        (
            {"name": f"Cơ sở {i}", "kind": rng.choice(kinds), "address": "—", "commune_id": c}
            for i, c in enumerate(est_communes)
        ),
    )
    forms = list(model("outreach.CommunicationForm").objects.all())
    _insert(
        model("outreach.Activity"),
        (
            {
                "date": day(),
                "unit_id": commune(),
                "agency": agency,
                "form": rng.choice(forms),
                "title": "Tuyên truyền",
                "participants": rng.randrange(10, 200),
            }
            for _ in range(ACTIVITIES)
        ),
    )
    # Inspections: by province and district teams, of establishments in their commune.
    team_model = model("inspections.Team")
    teams = [
        team_model.objects.create(name=f"Đoàn {p.code}", unit=p, level=lv, lead_agency=agency)
        for p in provinces[:10]
        for lv in (1, 2)
    ]
    picks = [rng.randrange(len(establishments)) for _ in range(ROWS)]
    _insert(
        model("inspections.Inspection"),
        (
            {
                "date": day(),
                "team": rng.choice(teams),
                "establishment_id": establishments[i],
                "commune_id": est_communes[i],
            }
            for i in picks
        ),
    )
    vtypes = list(model("enforcement.ViolationType").objects.all())
    vio_days = [day() for _ in range(ROWS)]
    violations = _insert(
        model("enforcement.Violation"),
        (
            {
                "violation_type": rng.choice(vtypes),
                "date": d,
                "commune_id": commune(),
                "people_count": 1,
            }
            for d in vio_days
        ),
    )
    people = _insert(
        model("people.Person"),
        ({"code": f"P{i:07d}", "unit_id": commune(), "full_name": "—"} for i in range(ROWS // 2)),
    )
    consent_model = model("people.Consent")
    _insert(
        consent_model,
        (
            {"person_id": p, "purpose": "statistics", "given": rng.random() < 0.9, "on": START}
            for p in people
        ),
    )
    sanction_forms = ("warning", "fine")
    sanctions = _insert(
        model("enforcement.Sanction"),
        (
            {
                "violation_id": v,
                "number": f"QĐ {n}",
                "date": d,
                "form": rng.choice(sanction_forms),
                "status": "paid",
                "status_since": d,
                "amount": 1_000_000,
                "agency": rng.choice(agencies),
            }
            for n, (v, d) in enumerate(zip(violations, vio_days, strict=True))
            if n % 5
        ),
    )
    _insert(
        model("enforcement.SanctionedPerson"),
        ({"sanction_id": s, "person_id": rng.choice(people)} for s in sanctions),
    )
    _insert(
        model("hotspots.Hotspot"),
        (
            {
                "name": f"Tụ điểm {i}",
                "commune_id": commune(),
                "first_seen": day(),
                "status": rng.choice(("active", "active", "closed")),
            }
            for i in range(ROWS // 2)
        ),
    )
    officer_communes = [commune() for _ in range(ROWS // 2)]
    officers = _insert(
        model("outreach.Officer"),
        (
            {
                "full_name": "Cán bộ",
                "position": "x",
                "commune_id": c,
                "is_social_evils_officer": rng.random() < 0.7,
                "valid_from": rng.choice((None, day())),
            }
            for c in officer_communes
        ),
    )
    training_days = [day() for _ in range(300)]
    trainings = _insert(
        model("outreach.Training"),
        (
            {
                "title": "Tập huấn",
                "agency": agency,
                "start_date": d,
                "end_date": d,
                "unit": provinces[0],
            }
            for d in training_days
        ),
    )
    pairs = {(rng.randrange(len(trainings)), rng.randrange(len(officers))) for _ in range(ROWS)}
    _insert(
        model("outreach.TrainingParticipant"),
        (
            {
                "training_id": trainings[t],
                "officer_id": officers[o],
                "full_name": "Cán bộ",
                "unit_id": officer_communes[o],
            }
            for t, o in sorted(pairs)
        ),
    )
    template = model("communes.AssessmentTemplate").objects.order_by("pk").first()
    if template is None:
        template = model("communes.AssessmentTemplate").objects.create(name="Tiêu chí")
    classes = list(model("communes.AssessmentClass").objects.filter(template=template))
    if not classes:
        classes = [
            model("communes.AssessmentClass").objects.create(
                template=template, code=kind, name=kind, kind=kind, order=n
            )
            for n, kind in enumerate(("healthy", "intermediate", "key"))
        ]
    _insert(
        model("communes.Assessment"),
        (
            {
                "template": template,
                "commune_id": c,
                "year": year,
                "status": "confirmed",
                "result_class": rng.choice(classes),
            }
            for year in (2016, 2017, 2018)
            for c in communes
            if rng.random() < 0.6
        ),
    )
    quarters = [
        (datetime.date(y, m, 1), datetime.date(y, m + 2, 30 if m in (4, 7) else 31))
        for y in (2016, 2017, 2018)
        for m in (1, 4, 7, 10)
    ]
    _insert(
        model("support.SupportCount"),
        (
            {
                "commune_id": commune(),
                "period_start": start,
                "period_end": end,
                "vocational_training": rng.randrange(5),
                "employment": rng.randrange(5),
            }
            for start, end in (rng.choice(quarters) for _ in range(ROWS // 2))
        ),
    )
    user_model = model("accounts.User")
    worker = user_model.objects.filter(username="bench").first() or user_model.objects.create(
        username="bench"
    )
    case_days = [day() for _ in range(ROWS // 2)]
    support_cases = _insert(
        model("support.SupportCase"),
        (
            {
                "code": f"HS{i:07d}",
                "person_id": rng.choice(people),
                "unit_id": commune(),
                "worker": worker,
                "opened_on": d,
                "status": "closed" if i % 3 == 0 else "open",
                "closed_on": d + datetime.timedelta(days=60) if i % 3 == 0 else None,
            }
            for i, d in enumerate(case_days)
        ),
    )
    stype_model = model("support.ServiceType")
    stypes = list(stype_model.objects.all()) or [
        stype_model.objects.create(code=k, kind=k, name=k) for k in ("training", "job", "loan")
    ]
    _insert(
        model("support.Service"),
        (
            {
                "case_id": support_cases[i],
                "type": rng.choice(stypes),
                "started_on": case_days[i] + datetime.timedelta(days=rng.randrange(30)),
                "provider": rng.choice(agencies),
            }
            for i in (rng.randrange(len(support_cases)) for _ in range(ROWS // 2))
        ),
    )
    crime_days = [day() for _ in range(ROWS // 2)]
    crime_cases = _insert(
        model("cases.Case"),
        (
            {
                "code": f"VA{i:07d}",
                "title": "Vụ án",
                "commune_id": commune(),
                "detected_on": d,
                "detected_by": rng.choice(agencies),
                "handled_on": d + datetime.timedelta(days=90) if i % 2 else None,
            }
            for i, d in enumerate(crime_days)
        ),
    )
    _insert(
        model("cases.CaseParty"),
        (
            {
                "case_id": c,
                "person_id": people[n % len(people)],
                "role": rng.choice(("owner", "broker", "buyer")),
                "standing": rng.choice(("suspect", "accused", "defendant")),
            }
            for n, c in enumerate(crime_cases)
        ),
    )
    _insert(
        model("cases.Step"),
        (
            {
                "case_id": c,
                "started_on": d,
                "decided_on": d + datetime.timedelta(days=30),
                "decision": rng.choice(("indict", "judgment")),
                "agency": rng.choice(agencies),
            }
            for c, d in zip(crime_cases, crime_days, strict=True)
        ),
    )
    categories = list(model("budget.BudgetCategory").objects.all())
    _insert(
        model("budget.BudgetLine"),
        (
            {
                "year": rng.choice((2016, 2017, 2018)),
                "agency": rng.choice(agencies),
                "category": rng.choice(categories),
                "planned": rng.randrange(1, 100) * 1_000_000,
                "spent": rng.randrange(0, 100) * 1_000_000,
            }
            for _ in range(ROWS // 10)
        ),
    )
    took["rows"] = time.perf_counter() - t
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return took


def timed_pair(
    first: Callable[[], Any], second: Callable[[], Any], runs: int = 9
) -> tuple[tuple[float, Any], tuple[float, Any]]:
    """:func:`timed` for two answers to compare, their calls interleaved (a burst of other
    work on a shared machine slows both alike, not one of them)."""
    import statistics

    outs = [first(), second()]
    times: list[list[float]] = [[], []]
    for _ in range(runs):
        for i, fn in enumerate((first, second)):
            start = time.perf_counter()
            outs[i] = fn()
            times[i].append(time.perf_counter() - start)
    return (statistics.median(times[0]), outs[0]), (statistics.median(times[1]), outs[1])


def timed(fn: Callable[[], Any], runs: int = 5) -> tuple[float, Any]:
    """Median seconds of ``runs`` calls after one warm-up call, and the last answer."""
    import statistics

    out = fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out
