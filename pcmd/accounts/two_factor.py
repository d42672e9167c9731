"""Two-factor sign-in (DESIGN.md §4, issue 11 item 6): TOTP devices and recovery codes kept by
django-otp, QR codes drawn here with segno (inline SVG, nothing fetched from elsewhere).

Who must use it: every role in :data:`pcmd.accounts.roles.TWO_FACTOR_ROLES` (and superusers).
Anyone else may enrol voluntarily; once a user has a confirmed device, every sign-in (web or
API token) asks for a code. Writes of enrolment live in :mod:`pcmd.accounts.actions`; this
module reads devices and checks codes (the check updates the device's replay guard and
throttle, like ``authenticate`` updates ``last_login``).
"""

from __future__ import annotations

import re
import time
from base64 import b32encode
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import segno
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from pcmd.core import audit

from .roles import TWO_FACTOR_ROLES

if TYPE_CHECKING:
    from django_otp.models import Device

    from .models import User

RECOVERY_CODE_COUNT = 10
TOTP_NAME = "totp"
RECOVERY_NAME = "recovery"
# A TOTP code is 6 digits; a recovery code is 10 letters or digits (``StaticToken``), shown as
# two groups of 5 and accepted with or without the space or dash, in either case.
_TOTP_CODE = re.compile(r"^\d{6}$")
_RECOVERY_CODE = re.compile(r"^[a-z2-7]{10}$")
# The demo's fixed TOTP secret (hex; base32 ``JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP``), given only to
# the demo personas by ``pcmd.accounts.demo`` so that the demo stays usable: the README says
# how to get a code (``manage.py demo_otp USERNAME``). Production users enrol their own.
DEMO_TOTP_KEY = "48656c6c6f21deadbeef48656c6c6f21deadbeef"


def requires_two_factor(user: Any) -> bool:
    """Whether ``user``'s roles make a second factor compulsory."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or user.roles & TWO_FACTOR_ROLES)


def totp_device(user: User, *, confirmed: bool | None = True) -> TOTPDevice | None:
    """The user's TOTP device (confirmed by default; ``None``: either)."""
    devices = TOTPDevice.objects.filter(user=user)
    if confirmed is not None:
        devices = devices.filter(confirmed=confirmed)
    return devices.order_by("-pk").first()


def has_device(user: Any) -> bool:
    """Whether the user has enrolled (a confirmed TOTP device)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_device(user: User) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, name=RECOVERY_NAME).first()


@dataclass(frozen=True)
class Status:
    """What a profile or the user administration page shows about a user's second factor."""

    enrolled: bool
    required: bool
    enrolled_on: Any  # datetime or None
    last_used: Any  # datetime or None
    recovery_left: int


def status(user: User) -> Status:
    device = totp_device(user)
    recovery = recovery_device(user)
    return Status(
        enrolled=device is not None,
        required=requires_two_factor(user),
        enrolled_on=device.created_at if device else None,
        last_used=device.last_used_at if device else None,
        recovery_left=recovery.token_set.count() if recovery else 0,
    )


def qr_svg(text: str) -> str:
    """``text`` as a QR code: an inline ``<svg>`` element with a viewBox (it scales with the
    page's CSS), no XML declaration and no style attribute (CSP allows it)."""
    qr = segno.make(text, error="m", micro=False)
    return str(qr.svg_inline(scale=5, border=2, omitsize=True))


def format_recovery_code(code: str) -> str:
    return f"{code[:5]} {code[5:]}"


def normalise_code(raw: str) -> str:
    """A code as typed (spaces, dashes, upper case) in the form it is stored."""
    return re.sub(r"[\s\-]", "", raw or "").lower()


def new_recovery_codes(count: int = RECOVERY_CODE_COUNT) -> list[str]:
    codes: set[str] = set()
    while len(codes) < count:
        codes.add(StaticToken.random_token() + StaticToken.random_token()[:2])
    return sorted(codes)


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of a code: the device that accepted it, or why none did."""

    device: Device | None
    throttled: bool = False
    recovery: bool = False
    wait_until: Any = None  # when a throttled device takes a code again (datetime)

    @property
    def ok(self) -> bool:
        return self.device is not None


@transaction.atomic
def check_code(user: User, raw: str, *, device: TOTPDevice | None = None) -> CodeCheck:
    """Check a 6-digit TOTP code or a recovery code of ``user``. A TOTP code cannot be used
    twice (the device's ``last_t``); a recovery code dies when used (audited). Each device
    throttles after a wrong code (waits of 1, 2, 4… seconds, django-otp's ``ThrottlingMixin``);
    the caller also counts the failure toward the sign-in lockout (django-axes).

    ``device``: check against this (unconfirmed, during enrolment) TOTP device only."""
    code = normalise_code(raw)
    if device is not None or _TOTP_CODE.match(code):
        candidates: list[Any] = (
            [TOTPDevice.objects.select_for_update().get(pk=device.pk)]
            if device is not None
            else list(TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True))
        )
        recovery = False
    elif _RECOVERY_CODE.match(code):
        candidates = list(
            StaticDevice.objects.select_for_update().filter(user=user, confirmed=True)
        )
        recovery = True
    else:
        candidates, recovery = [], False
    throttled = False
    waits: list[Any] = []
    for candidate in candidates:
        allowed, info = candidate.verify_is_allowed()
        if not allowed:
            throttled = True
            if info and info.get("locked_until"):
                waits.append(info["locked_until"])
            continue
        if _TOTP_CODE.match(code) or recovery:
            if candidate.verify_token(code):
                if recovery:
                    audit.record(
                        actor=user,
                        verb="otp.recovery_used",
                        obj=user,
                        changes={"recovery_left": [None, candidate.token_set.count()]},
                    )
                return CodeCheck(candidate, recovery=recovery)
        else:
            candidate.throttle_increment()
    return CodeCheck(None, throttled=throttled, wait_until=min(waits) if waits else None)


def secret_text(device: TOTPDevice) -> str:
    """The device's secret in base32, in groups of 4, for typing into an app by hand."""
    text = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def current_code(device: TOTPDevice) -> tuple[str, int]:
    """The code ``device`` accepts now and how many seconds it stays current (the demo's
    ``demo_otp`` command and the tests)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    code = str(totp.token()).zfill(device.digits)
    return code, int(device.step - (totp.time - device.t0) % device.step)
