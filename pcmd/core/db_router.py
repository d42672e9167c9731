"""Optional read replica: read-only work marked explicitly reads a PostgreSQL standby.

``DATABASE_REPLICA_URL`` adds the database alias ``replica`` and installs
:class:`ReplicaRouter` (config/settings.py). Without it nothing here is used.

Rules, in the order the router applies them:

- Writes always go to the primary (``default``); migrations run only there.
- Reads go to the replica only inside work marked with :func:`read_replica` (dashboard pages,
  exports, the indicator and progress API); everything else reads the primary.
- Accounts, sessions, tokens, two-factor devices and login lockouts are always read on the
  primary: who may see what, and the session row, must never be a lagging copy.
- Inside marked work, once anything was written or a transaction is open on the primary,
  every further read of that work stays on the primary.
- A user who wrote (a non-safe method that succeeded) is pinned to the primary for
  ``PCMD_REPLICA_PIN_SECONDS``: a signed cookie (browsers, any client keeping cookies) and a
  mark in Django's cache keyed by the user id (token clients; shared between processes when
  the cache is). Set by :class:`ReplicaPinMiddleware`.
- The replica is used only while it answers, is a standby (in recovery) and lags at most
  ``PCMD_REPLICA_MAX_LAG`` seconds; this is checked at most every
  ``PCMD_REPLICA_CHECK_SECONDS`` per process, and a change of state is logged once. A marked
  view whose replica connection fails is answered again on the primary.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.models import Model
from django.http import FileResponse, HttpRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase

logger = logging.getLogger("pcmd.replica")

REPLICA = "replica"
PIN_COOKIE = "pcmd_primary"
PIN_SALT = "pcmd.core.db_router.pin"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# Apps whose rows decide who the user is and what they may do: always the primary's.
PRIMARY_ONLY_APPS = frozenset(
    {"accounts", "auth", "sessions", "contenttypes", "knox", "axes", "admin"}
    | {"django_otp", "otp_totp", "otp_static"}
)


@dataclass
class ReadWork:
    """One piece of marked read-only work (a request to a decorated view)."""

    atomic_depth: int  # transactions already open on the primary when the work began
    wrote: bool = False
    used_replica: bool = False

    @property
    def db(self) -> str:
        """``replica`` when at least one read went to the replica, else ``primary``."""
        return "replica" if self.used_replica else "primary"


_work: ContextVar[ReadWork | None] = ContextVar("pcmd_read_work", default=None)


def configured() -> bool:
    """A replica alias exists in the settings."""
    return REPLICA in settings.DATABASES


def _primary_transaction_open(work: ReadWork) -> bool:
    return len(connections[DEFAULT_DB_ALIAS].atomic_blocks) > work.atomic_depth


class ReplicaRouter:
    """Database router: see the module docstring for the rules."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        work = _work.get()
        if work is None or work.wrote or model._meta.app_label in PRIMARY_ONLY_APPS:
            return DEFAULT_DB_ALIAS
        if _primary_transaction_open(work) or not replica_usable():
            return DEFAULT_DB_ALIAS
        work.used_replica = True
        return REPLICA

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        work = _work.get()
        if work is not None:
            work.wrote = True  # read-after-write: this work reads the primary from now on
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        aliases = {DEFAULT_DB_ALIAS, REPLICA}
        if obj1._state.db in aliases and obj2._state.db in aliases:
            return True  # the same data: a replica row may refer to a primary row
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS


# --- Is the replica fit to read? -------------------------------------------------------

_LAG_SQL = """
SELECT pg_is_in_recovery(),
       CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp())
       END
"""


def replica_lag() -> float | None:
    """Seconds the replica is behind the primary; ``None`` when it does not answer or is not
    a standby (a promoted or misconfigured copy no longer follows the primary). A standby that
    has replayed everything it received counts as 0 (an idle primary sends nothing)."""
    connection = connections[REPLICA]
    try:
        with connection.cursor() as cursor:
            cursor.execute(_LAG_SQL)
            row = cursor.fetchone()
    except DatabaseError:
        connection.close()  # a broken connection is opened afresh next time
        return None
    if row is None or not row[0] or row[1] is None:
        return None
    return max(0.0, float(row[1]))


@dataclass
class _Health:
    checked: float = float("-inf")
    usable: bool | None = None  # not checked yet
    reason: str = "not checked"


_health = _Health()
_health_lock = threading.Lock()


def _judge() -> tuple[bool, str]:
    lag = replica_lag()
    if lag is None:
        return False, "unreachable or not a standby"
    limit = settings.PCMD_REPLICA_MAX_LAG
    if lag > limit:
        return False, f"lagging {lag:.1f} s (limit {limit} s)"
    return True, f"lag {lag:.1f} s"


def replica_usable(*, force: bool = False) -> bool:
    """Whether reads may go to the replica now (cached per process for
    ``PCMD_REPLICA_CHECK_SECONDS``; ``force`` checks again). A change is logged once."""
    if not configured():
        return False
    now = time.monotonic()
    with _health_lock:
        if not force and now - _health.checked < settings.PCMD_REPLICA_CHECK_SECONDS:
            return bool(_health.usable)
        _health.checked = now  # other threads keep the old answer while this one checks
    usable, reason = _judge()
    with _health_lock:
        before = _health.usable
        _health.usable, _health.reason = usable, reason
    if usable and before is False:
        logger.warning("read replica in use again (%s)", reason)
    elif not usable and before is not False:
        logger.warning("read replica not used, reads go to the primary: %s", reason)
    return usable


def mark_down(reason: str) -> None:
    """The replica failed a query: read the primary until the next check says otherwise."""
    with _health_lock:
        was = _health.usable
        _health.usable, _health.reason, _health.checked = False, reason, time.monotonic()
    if was is not False:
        logger.warning("read replica not used, reads go to the primary: %s", reason)


def reset_health() -> None:
    """Forget the last check (tests; a settings change)."""
    with _health_lock:
        _health.checked, _health.usable, _health.reason = float("-inf"), None, "not checked"


# --- Read-after-write pin ----------------------------------------------------------------


def pin_key(user_id: Any) -> str:
    return f"pcmd.replica.pin.{user_id}"


def is_pinned(request: HttpRequest) -> bool:
    """The request's browser or user wrote less than ``PCMD_REPLICA_PIN_SECONDS`` ago."""
    seconds = settings.PCMD_REPLICA_PIN_SECONDS
    if request.get_signed_cookie(PIN_COOKIE, default=None, salt=PIN_SALT, max_age=seconds):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and cache.get(pin_key(user.pk)))


def pin(request: HttpRequest, response: HttpResponseBase) -> None:
    seconds = settings.PCMD_REPLICA_PIN_SECONDS
    if seconds <= 0:
        return
    response.set_signed_cookie(
        PIN_COOKIE,
        "1",
        salt=PIN_SALT,
        max_age=seconds,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        cache.set(pin_key(user.pk), True, seconds)


class ReplicaPinMiddleware:
    """After a non-safe request that succeeded, pin its browser and user to the primary.
    Does nothing without a replica."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if request.method not in SAFE_METHODS and response.status_code < 400 and configured():
            pin(request, response)
        return response


_View = TypeVar("_View", bound=Callable[..., HttpResponseBase])

# --- Marking read-only work ----------------------------------------------------------------


class _InWork:
    """A streamed body produced inside the work its view began (rows read lazily)."""

    def __init__(self, inner: Iterator[Any], work: ReadWork) -> None:
        self.inner, self.work = inner, work

    def __iter__(self) -> _InWork:
        return self

    def __next__(self) -> Any:
        token = _work.set(self.work)
        try:
            return next(self.inner)
        finally:
            _work.reset(token)

    def close(self) -> None:
        close = getattr(self.inner, "close", None)
        if close is not None:
            close()


def _http_request(request: Any) -> HttpRequest:
    return getattr(request, "_request", request)  # a DRF Request wraps Django's


def read_replica(view: _View) -> _View:
    """Mark a read-only view: its reads may go to the replica (module docstring). Put it
    under the view's access decorator, so that the user is known (and read on the primary)
    first. For a DRF view: ``@method_decorator(read_replica)`` on ``get``."""

    @wraps(view)
    def wrapped(request: Any, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not configured():
            return view(request, *args, **kwargs)
        work = ReadWork(atomic_depth=len(connections[DEFAULT_DB_ALIAS].atomic_blocks))
        _http_request(request).pcmd_read_work = work  # type: ignore[attr-defined]  # request log
        if request.method not in SAFE_METHODS or is_pinned(request):
            return view(request, *args, **kwargs)  # never entered: "primary" in the log
        token = _work.set(work)
        try:
            response = view(request, *args, **kwargs)
        except DatabaseError as error:
            if not work.used_replica or replica_usable(force=True):
                raise
            mark_down(f"a query failed: {type(error).__name__}")
            work.used_replica = False
            _work.reset(token)
            token = _work.set(None)
            response = view(request, *args, **kwargs)  # answered again, on the primary
        finally:
            _work.reset(token)
        if (
            isinstance(response, StreamingHttpResponse)
            and not isinstance(response, FileResponse)
            and not response.is_async
        ):
            body = cast(Iterator[bytes], response.streaming_content)
            response.streaming_content = _InWork(body, work)
        return response

    wrapped.read_replica = True  # type: ignore[attr-defined]
    return cast(_View, wrapped)


def current_work() -> ReadWork | None:
    return _work.get()
