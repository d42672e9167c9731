"""A dump of the database holds no identity of any demo person in clear (issue 11, "Done
when"): the SQLite file (``VACUUM INTO`` a copy, read as bytes) or ``pg_dump``'s output.

The demo's registers are built for real (committed: ``pg_dump`` reads from another session),
so this test is transactional and pytest-django runs it after the others. Demo data of other
registers may hold the same text by chance (an officer called like a demo person): a value
counts as leaked when the dump holds it more often than a dump taken before the persons were
made. The last part plants a value in a column that is not encrypted and checks that the
test catches it.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.db import connection
from django.utils.module_loading import import_string

from pcmd.core.demo import DEMO_YEAR, SEED, load_demo
from pcmd.enforcement.models import Violation
from pcmd.people.models import Person
from pcmd.registry.models import EstablishmentKind
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _build(apps: tuple[str, ...]) -> None:
    for app in apps:
        builder = import_string(f"pcmd.{app}.demo.build")
        builder(random.Random(f"{SEED}-{app}-{DEMO_YEAR}"), DEMO_YEAR)


def _sqlite_dump() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "copy.sqlite3"
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(target)])
        return target.read_bytes()


def _pg_dump() -> bytes:
    settings = connection.settings_dict
    pg_dump = shutil.which("pg_dump")
    assert pg_dump, "pg_dump is missing: apt-get install postgresql-client"
    env = {**os.environ, "PGPASSWORD": str(settings.get("PASSWORD") or "")}
    command = [pg_dump, "--no-owner", "--dbname", str(settings["NAME"])]
    if settings.get("HOST"):
        command += ["--host", str(settings["HOST"])]
    if settings.get("PORT"):
        command += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        command += ["--username", str(settings["USER"])]
    return subprocess.run(command, check=True, capture_output=True, env=env, timeout=300).stdout


def dump() -> bytes:
    if connection.vendor == "sqlite":
        return _sqlite_dump()
    assert connection.vendor == "postgresql", connection.vendor
    return _pg_dump()


def identity_values(people: list[Person]) -> set[str]:
    values: set[str] = set()
    for person in people:
        values.update(v for v in (person.full_name, person.id_number, person.phone) if v)
    return values


def leaked(data: bytes, before: bytes, values: set[str]) -> set[str]:
    """The values the dump holds more often than the dump taken before the persons."""
    return {v for v in values if data.count(v.encode("utf-8")) > before.count(v.encode("utf-8"))}


def test_no_identity_in_clear_in_a_database_dump() -> None:
    if not EstablishmentKind.objects.exists():  # a transactional test before us flushed
        from tests.browser.conftest import reseed_catalogs

        reseed_catalogs()
    load_demo(PASSWORD, registers=False)
    _build(("registry", "inspections"))
    before = dump()
    _build(("enforcement",))  # violations, sanctions and the persons they name
    people = list(Person.objects.all())
    assert len(people) > 100
    values = identity_values(people)
    names = {p.full_name for p in people}
    # the baseline explains at most a few names (officers named like a demo person)
    assert sum(1 for n in names if before.count(n.encode("utf-8"))) < len(names) // 10
    data = dump()
    assert leaked(data, before, values) == set()

    # A value stored in clear is caught: plant one person's ID number, phone and name.
    victim = people[0]
    planted = f"{victim.full_name} {victim.id_number} {victim.phone}"
    Violation.objects.filter(pk=Violation.objects.order_by("pk").first().pk).update(
        description=planted
    )
    assert leaked(dump(), before, values) >= {victim.full_name, victim.id_number, victim.phone}
