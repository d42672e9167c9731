"""Smoke test of a running PCMD (standard library only): health, sign-in, dashboard, an API
token and an API read, a document download. Used by CI against gunicorn started exactly as
deploy/README.md says; usable after any deployment:

    PCMD_SMOKE_PASSWORD=… python3 deploy/smoke.py http://127.0.0.1:8000 lanhdao

The account must not need a second factor (a read-only leadership account fits). Exits 0
when every step passes, else 1 naming the failed step.
"""

from __future__ import annotations

import http.cookies
import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from typing import Any


class Client:
    """Talks to the app as the reverse proxy's clients do: every request says it came over
    HTTPS (X-Forwarded-Proto, trusted from loopback), so production's secure cookies apply;
    cookies are kept by hand and redirects are not followed."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(_NoRedirect)

    def send(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, bytes, Any]:
        headers = {"X-Forwarded-Proto": "https", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        request = urllib.request.Request(
            self.base + path, data=body, headers=headers, method=method
        )
        try:
            response = self.opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            for header in response.headers.get_all("Set-Cookie") or []:
                jar = http.cookies.SimpleCookie()
                jar.load(header)
                for name, morsel in jar.items():
                    self.cookies[name] = morsel.value
            return response.status, response.read(), response.headers


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def check(step: str, ok: bool, detail: object = "") -> None:
    print(("ok   " if ok else "FAIL ") + step + (f": {detail!r}" if not ok and detail else ""))
    if not ok:
        sys.exit(1)


def main(base: str, username: str, password: str) -> None:
    client = Client(base)
    https_base = "https://" + urllib.parse.urlsplit(base).netloc

    status, body, headers = client.send("GET", "/healthz")
    check("health", status == 200 and json.loads(body)["status"] == "ok", body[:200])
    check("request id", bool(headers.get("X-Request-ID")))

    status, body, _ = client.send("GET", "/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    check("login page", status == 200 and token is not None, status)
    assert token is not None
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1).decode(), "username": username, "password": password}
    ).encode()
    status, body, headers = client.send(
        "POST",
        "/login/",
        form,
        {"Content-Type": "application/x-www-form-urlencoded", "Referer": https_base + "/login/"},
    )
    check("sign in", status == 302 and "sessionid" in client.cookies, (status, body[:300]))
    status, body, _ = client.send("GET", "/")
    check("home", status == 200 and b"/logout/" in body, status)

    status, body, _ = client.send("GET", "/dashboard/?period=2018")
    check("dashboard", status == 200 and "Bảng điều khiển".encode() in body, status)

    status, body, headers = client.send("GET", "/cases/summary/?year=2018&period=year")
    disposition = headers.get("Content-Disposition", "")
    check(
        "document download",
        status == 200 and body[:2] == b"PK" and "attachment" in disposition,
        status,
    )

    status, body, _ = client.send(
        "POST",
        "/api/v1/auth/token",
        json.dumps({"username": username, "password": password}).encode(),
        {"Content-Type": "application/json"},
    )
    check("API token", status in (200, 201) and b"token" in body, body[:200])
    api = Client(base)
    bearer = {"Authorization": "Bearer " + json.loads(body)["token"]}
    status, body, _ = api.send("GET", "/api/v1/plans", headers=bearer)
    check("API read", status == 200 and b"1842/KH-UBND" in body, status)
    print("smoke test passed")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1].rstrip("/"), sys.argv[2], os.environ["PCMD_SMOKE_PASSWORD"])
