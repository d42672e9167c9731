"""``GET /healthz``: is this process fit to serve? For the reverse proxy and monitoring.

Checks, each ``true`` or ``false`` in the JSON answer (no other detail, no personal data):
- ``database``: a trivial query on the default database answers;
- ``migrations``: no migration is left to apply (the code and the schema agree);
- ``keys``: the secret key and the person-layer keys (field encryption, blind index) are set,
  and the field keys read the data stored (each app with encrypted values registers a reader
  in ``KEY_READERS``: pcmd.people.health).
- ``replica`` (only when ``DATABASE_REPLICA_URL`` is set): the read replica answers, is a
  standby and lags at most ``PCMD_REPLICA_MAX_LAG`` seconds (checked afresh).
200 when every check passes, else 503. No sign-in: the answer tells nothing about the data.
A replica that fails alone does not fail the process: reads then go to the primary
(pcmd.core.db_router), so the answer is 200 with status ``degraded`` and ``replica: false``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import db_router


def _database() -> bool:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any failure of the database is "not healthy", never a 500
        return False


def _migrations() -> bool:
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        targets = executor.loader.graph.leaf_nodes()
        return not executor.migration_plan(targets)
    except Exception:
        return False


# Checks that the configured keys read the data stored (registered by the apps that encrypt).
KEY_READERS: list[Callable[[], bool]] = []


def _keys(*, read: bool) -> bool:
    present = bool(
        settings.SECRET_KEY
        and getattr(settings, "PCMD_FIELD_KEYS", None)
        and getattr(settings, "PCMD_BLIND_INDEX_KEY", None)
    )
    return present and (not read or all(reader() for reader in KEY_READERS))


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database()}
    checks["migrations"] = checks["database"] and _migrations()
    # The readers query the database: only once it answers with the schema of this code.
    checks["keys"] = _keys(read=checks["migrations"])
    healthy = all(checks.values())
    status = "ok" if healthy else "fail"
    if db_router.configured():
        checks["replica"] = db_router.replica_usable(force=True)
        if healthy and not checks["replica"]:
            status = "degraded"
    return JsonResponse({"status": status, "checks": checks}, status=200 if healthy else 503)
