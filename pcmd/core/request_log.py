"""One JSON line per request on the ``pcmd.request`` logger: request id, user id, method,
path, status and duration. No personal data: the path without its query string (a search may
carry a name), the user's numeric id, never a name, address or body.

The request id comes from the proxy's ``X-Request-ID`` when it is a plain token, else a new
one; it is sent back in the response's ``X-Request-ID`` so a user's error report can be found.
A request to a view marked for the read replica also carries ``db``: ``replica`` when it read
the replica, else ``primary`` (pcmd.core.db_router).
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("pcmd.request")
_TOKEN = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _TOKEN.match(given) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        started = time.perf_counter()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response.headers["X-Request-ID"] = request_id
            return response
        finally:
            user = getattr(request, "user", None)
            fields = {
                "request_id": request_id,
                "user_id": user.pk if user is not None and user.is_authenticated else None,
                "method": request.method,
                "path": request.path[:300],
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            }
            work = getattr(request, "pcmd_read_work", None)  # pcmd.core.db_router.read_replica
            if work is not None:
                fields["db"] = work.db
            logger.info("request", extra={"request": fields})


class JsonFormatter(logging.Formatter):
    """A record as one JSON object: time, level, logger, message and the request fields."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        out.update(getattr(record, "request", {}) or {})
        if record.exc_info:
            out["error"] = self.formatException(record.exc_info).splitlines()[-1]
        return json.dumps(out, ensure_ascii=False)
