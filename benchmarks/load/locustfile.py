"""Locust load mix for PCMD (run by benchmarks/load_test.py; see its docstring).

Every simulated officer signs in once through the real login form (CSRF token, then the
6-digit code for the roles that need a second factor, computed from the demo device's
published secret), then browses with a think time of 1–3 s. Request names are page types
(home, dashboard, list, detail, form save, report approval, export, API; login steps apart),
so that Locust's percentiles are per page type.

The seed (``LOAD_SEED``, a JSON file written by benchmarks/load/seed.py) hands each simulated
user its own account, the record ids it may open, its own patrol to edit (writes re-read the
form, so they carry the current version and never conflict) and, for district officers, the
submitted reports it alone approves.

The steady state starts when every simulated user has signed in (not when the last one is
spawned: with argon2 a sign-in takes longer than a spawn): the sign-in figures are then
written apart (``LOAD_SIGNIN_OUT``), the figures reset, and the run ends
``LOAD_STEADY_SECONDS`` later.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import random
import struct
import time
from html.parser import HTMLParser
from http.cookiejar import DefaultCookiePolicy
from typing import Any

import gevent
from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

SEED: dict[str, Any] = json.loads(open(os.environ["LOAD_SEED"], encoding="utf-8").read())
PASSWORD: str = SEED["password"]
_TAKEN: dict[str, int] = {}
_SIGNED_IN = {"count": 0}
STEADY_SECONDS = float(os.environ.get("LOAD_STEADY_SECONDS", "0"))
SIGNIN_OUT = os.environ.get("LOAD_SIGNIN_OUT", "")


def signed_in(environment: Any) -> None:
    """One more user has signed in; the last one starts the steady state (module doc)."""
    _SIGNED_IN["count"] += 1
    runner = environment.runner
    if _SIGNED_IN["count"] != runner.target_user_count:
        return
    if SIGNIN_OUT:
        rows = {
            name: {
                "requests": e.num_requests,
                "errors": e.num_failures,
                "p50": e.get_response_time_percentile(0.5),
                "p95": e.get_response_time_percentile(0.95),
                "p99": e.get_response_time_percentile(0.99),
                "max": e.max_response_time,
            }
            for (name, _method), e in runner.stats.entries.items()
            if name.startswith("login")
        }
        with open(SIGNIN_OUT, "w", encoding="utf-8") as f:
            json.dump(rows, f)
    runner.stats.reset_all()
    if STEADY_SECONDS:
        gevent.spawn_later(STEADY_SECONDS, runner.quit)


def totp(hex_key: str, at: float | None = None) -> str:
    """RFC 6238 code (SHA-1, 30 s, 6 digits) of a device key given in hex."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(bytes.fromhex(hex_key), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


class _Form(HTMLParser):
    """The named fields of a POST form of a page, with their current values."""

    def __init__(self, action: str | None) -> None:
        super().__init__()
        self.action = action
        self.fields: dict[str, str] = {}
        self._done = False
        self._in_form = False
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post" and not self._done:
            self._in_form = self.action is None or a.get("action", "") in ("", self.action)
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields[name] = a.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                self.fields[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.fields[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._in_form:
            self._in_form = False
            self._done = True
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data


def form_fields(html: str, action: str | None = None) -> dict[str, str]:
    """The fields of the first POST form (whose ``action`` is ``action`` or empty, if given)."""
    parser = _Form(action)
    parser.feed(html)
    return parser.fields


class Officer(FastHttpUser):
    """One signed-in officer; subclasses set the persona kind and the weights of the mix."""

    abstract = True
    kind = ""
    wait_time = between(1, 3)
    default_headers = {"X-Forwarded-Proto": "https"}  # no proxy: say what the proxy would

    def on_start(self) -> None:
        pool = SEED["accounts"][self.kind]
        index = _TAKEN.get(self.kind, 0)
        _TAKEN[self.kind] = index + 1
        self.account: dict[str, Any] = pool[index % len(pool)]
        self.base = "https://" + self.host.split("://", 1)[1]
        # The app's cookies are Secure (production); the proxy's HTTPS ends before the app,
        # so the client sends them over the loopback's plain HTTP, as the proxy does.
        self.client.cookiejar.set_policy(DefaultCookiePolicy(secure_protocols=("http", "https")))
        self.login()
        signed_in(self.environment)

    # --- helpers --------------------------------------------------------------------------

    def post_form(self, path: str, fields: dict[str, str], name: str) -> Any:
        return self.client.post(
            path,
            data=fields,
            headers={"Referer": self.base + path},
            name=name,
            allow_redirects=False,
            catch_response=True,
        )

    def get_ok(self, path: str, name: str) -> None:
        """A page that must answer 200 itself (a redirect to the login page is an error)."""
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{path}: {r.status_code}")

    def login(self) -> None:
        r = self.client.get("/login/", name="login: form")
        fields = form_fields(r.text or "", action="")
        fields.update(username=self.account["username"], password=PASSWORD)
        with self.post_form("/login/", fields, "login: password") as r:
            if r.status_code != 302:
                r.failure(f"sign-in refused: {r.status_code}")
                return
        if self.account["two_factor"]:
            target = "/login/code/?next=/"
            page = self.client.get(target, name="login: code form")
            fields = form_fields(page.text or "", action="")
            fields["code"] = totp(SEED["totp_key"])
            with self.post_form(target, fields, "login: code") as r:
                if r.status_code != 302:
                    r.failure(f"second factor refused: {r.status_code}")

    def pick(self, key: str) -> Any:
        return random.choice(self.account[key])

    # --- the mix --------------------------------------------------------------------------

    @task(3)
    def home(self) -> None:
        self.get_ok("/", "home")

    @task(3)
    def dashboard(self) -> None:
        self.get_ok(self.pick("dashboards"), "dashboard")

    @task(4)
    def lists(self) -> None:
        self.get_ok(self.pick("lists"), "list")

    @task(4)
    def detail(self) -> None:
        self.get_ok(self.pick("details"), "detail")

    @task(1)
    def export(self) -> None:
        self.get_ok(self.pick("exports"), "export")

    @task(2)
    def api(self) -> None:
        self.get_ok(self.pick("api"), "API")


class Editor(Officer):
    abstract = True

    @task(2)
    def form_save(self) -> None:
        """Edit the account's own patrol: read the form (current version), save a change."""
        path = f"/hotspots/patrols/{self.account['patrol']}/edit/"
        with self.client.get(path, name="form save: read", catch_response=True) as page:
            fields = form_fields(page.text or "", action="")
            if page.status_code != 200 or "version" not in fields:
                page.failure(f"no patrol form: {page.status_code}")
                return
        fields["action_taken"] = f"Kiểm tra định kỳ lúc {time.strftime('%H:%M:%S')}"
        with self.post_form(path, fields, "form save") as r:
            if r.status_code != 302:
                r.failure(f"patrol not saved: {r.status_code} {(r.text or '')[:200]!r}")


class StandingOffice(Editor):
    kind = "standing_office"
    weight = 3


class Police(Editor):
    kind = "police"
    weight = 3


class District(Editor):
    kind = "district"
    weight = 4

    @task(2)
    def approve(self) -> None:
        """Approve the next submitted report of this account's own queue."""
        queue = self.account["submissions"]
        if not queue:
            return
        pk = queue.pop()
        path = f"/reporting/reports/{pk}/"
        with self.client.get(path, name="report approval: read", catch_response=True) as page:
            fields = form_fields(page.text or "", action=path + "approve/")
            if page.status_code != 200 or "version" not in fields:
                page.failure(f"no approval form: {page.status_code}")
                return
        with self.post_form(path + "approve/", fields, "report approval") as r:
            if r.status_code != 302:
                r.failure(f"approval failed: {r.status_code}")


class Commune(Editor):
    kind = "commune"
    weight = 4


class Leadership(Officer):
    kind = "leadership"
    weight = 2


class Team178(Officer):
    kind = "team_178"
    weight = 1
