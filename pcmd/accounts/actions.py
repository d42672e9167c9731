"""Writes to users and assignments: one transaction, one permission check, one audit row."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from pcmd.agencies.models import Agency
from pcmd.core import audit
from pcmd.geo.models import Unit

from . import two_factor
from .models import Assignment, User
from .permissions import require
from .roles import NATIONAL_ROLES

_USER_FIELDS = ["username", "full_name", "position", "email", "phone", "is_active"]


@transaction.atomic
def create_user(
    *,
    actor: Any,
    username: str,
    password: str,
    full_name: str = "",
    position: str = "",
    email: str = "",
    phone: str = "",
    check_password: bool = True,
    password_hash: str = "",
) -> User:
    """``password_hash``: ``password`` already encoded by ``make_password`` (the demo's
    accounts share one demo password: hashed once, as hashing is slow by design)."""
    require(actor, "users.manage")
    user = User(username=username, full_name=full_name, position=position, email=email, phone=phone)
    if check_password:
        validate_password(password, user)
    if password_hash:
        user.password = password_hash
    else:
        user.set_password(password)
    user.save()
    audit.record(
        actor=actor,
        verb="user.create",
        obj=user,
        changes=audit.diff({}, audit.snapshot(user, _USER_FIELDS)),
    )
    return user


@transaction.atomic
def update_user(user: User, *, actor: Any, **values: Any) -> User:
    require(actor, "users.manage")
    unknown = set(values) - set(_USER_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    before = audit.snapshot(user, _USER_FIELDS)
    for key, value in values.items():
        setattr(user, key, value)
    user.save(update_fields=list(values))
    changes = audit.diff(before, audit.snapshot(user, _USER_FIELDS))
    if before["is_active"] and not user.is_active:  # a locked account keeps no API token
        changes.update(_end_tokens(user))
    if changes:
        audit.record(actor=actor, verb="user.update", obj=user, changes=changes)
    return user


@transaction.atomic
def set_password(user: User, password: str, *, actor: Any) -> None:
    if actor is not None and actor.pk != user.pk:
        require(actor, "users.manage")
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(actor=actor, verb="user.set_password", obj=user)


@transaction.atomic
def add_assignment(
    user: User,
    *,
    actor: Any,
    role: str,
    unit: Unit | None,
    agency: Agency | None = None,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
) -> Assignment:
    require(actor, "users.manage")
    if (unit is None) != (role in NATIONAL_ROLES):
        # the database refuses it too (assignment_unit_unless_national)
        raise ValueError(f"role {role} with unit {unit}: only a national role has no unit")
    assignment = Assignment.objects.create(
        user=user, role=role, unit=unit, agency=agency, valid_from=valid_from, valid_to=valid_to
    )
    audit.record(
        actor=actor,
        verb="assignment.add",
        obj=user,
        changes={
            "role": [None, role],
            "unit": [None, unit.code if unit is not None else None],
            "agency": [None, agency.code if agency else None],
        },
    )
    return assignment


@transaction.atomic
def remove_assignment(assignment: Assignment, *, actor: Any) -> None:
    require(actor, "users.manage")
    user = assignment.user
    audit.record(
        actor=actor,
        verb="assignment.remove",
        obj=user,
        changes={
            "role": [assignment.role, None],
            "unit": [assignment.unit.code if assignment.unit is not None else None, None],
            **_end_tokens(user),  # its tokens carried the role's rights: signing in again
        },
    )
    assignment.delete()


def _end_tokens(user: User) -> dict[str, list[int]]:
    """Delete the user's API tokens; the change for the audit row (none when there were none)."""
    count, _ = AuthToken.objects.filter(user=user).delete()
    return {"api_tokens": [count, 0]} if count else {}


# Knox reads every token of the user on each API request (it drops the expired ones), so a
# client that signs in for each call would make each of its requests slower than the last:
# an account keeps its newest tokens only.
API_TOKENS_PER_USER = 10


@transaction.atomic
def issue_token(user: User) -> tuple[AuthToken, str]:
    """A new API token for ``user`` (who has just signed in) and its secret; past
    :data:`API_TOKENS_PER_USER`, the account's oldest tokens end."""
    instance, secret = AuthToken.objects.create(user)
    tokens = AuthToken.objects.filter(user=user)
    old = list(
        tokens.order_by("-created", "-pk").values_list("pk", flat=True)[API_TOKENS_PER_USER:]
    )
    ended = tokens.filter(pk__in=old).delete()[0] if old else 0
    changes = {"api_tokens": [API_TOKENS_PER_USER + ended, API_TOKENS_PER_USER]} if ended else {}
    audit.record(actor=user, verb="auth.token", obj=user, changes=changes)
    return instance, secret


@transaction.atomic
def revoke_tokens(user: User, *, actor: Any) -> int:
    """End every API token of ``user`` (the user themself or an administrator); how many."""
    if actor is None or actor.pk != user.pk:
        require(actor, "users.manage")
    ended = _end_tokens(user)
    audit.record(actor=actor, verb="user.revoke_tokens", obj=user, changes=ended)
    return ended["api_tokens"][0] if ended else 0


@transaction.atomic
def revoke_token(token: AuthToken, *, actor: Any) -> None:
    """End one API token (signing out of the API): only its owner."""
    if actor is None or actor.pk != token.user_id:
        raise PermissionDenied
    token.delete()
    audit.record(actor=actor, verb="auth.logout", obj=actor)


# --- two-factor sign-in (pcmd.accounts.two_factor) ----------------------------------------


def _own_account(actor: Any, user: User) -> None:
    """Only the user themself (or the system) enrols or renews their own codes."""
    if actor is not None and actor.pk != user.pk:
        raise PermissionDenied


@transaction.atomic
def start_enrolment(user: User, *, actor: Any) -> TOTPDevice:
    """The user's unconfirmed TOTP device with a secret generated here (the same one while the
    enrolment page is reloaded), until a first code confirms it. Nothing is audited until
    then: an unconfirmed device signs nobody in."""
    _own_account(actor, user)
    device = two_factor.totp_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=two_factor.TOTP_NAME, confirmed=False)
    return device


@transaction.atomic
def confirm_enrolment(user: User, device: TOTPDevice, *, actor: Any) -> list[str]:
    """Confirm ``device`` (its first code has been checked) and give the user a fresh set of
    recovery codes; returns the codes, which are shown once."""
    _own_account(actor, user)
    if device.user_id != user.pk:
        raise PermissionDenied
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _replace_recovery_codes(user)
    audit.record(
        actor=actor,
        verb="otp.enrol",
        obj=user,
        changes={"two_factor": [False, True], "recovery_codes": [None, len(codes)]},
    )
    return codes


@transaction.atomic
def renew_recovery_codes(user: User, *, actor: Any) -> list[str]:
    """New recovery codes for an enrolled user; the old ones stop working."""
    _own_account(actor, user)
    if not two_factor.has_device(user):
        raise PermissionDenied
    before = two_factor.status(user).recovery_left
    codes = _replace_recovery_codes(user)
    audit.record(
        actor=actor,
        verb="otp.recovery_codes",
        obj=user,
        changes={"recovery_codes": [before, len(codes)]},
    )
    return codes


def _replace_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=two_factor.RECOVERY_NAME, confirmed=True)
    codes = two_factor.new_recovery_codes()
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def reset_two_factor(user: User, *, actor: Any) -> int:
    """An administrator removes every device of ``user`` (a lost phone): the user enrols again
    at the next request (a role that needs it) and their API tokens end. How many devices."""
    require(actor, "users.manage")
    removed = TOTPDevice.objects.filter(user=user).count()
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit.record(
        actor=actor,
        verb="otp.reset",
        obj=user,
        changes={"devices": [removed, 0], **_end_tokens(user)},
    )
    return removed


@transaction.atomic
def install_demo_device(user: User, *, actor: Any) -> TOTPDevice:
    """The system (demo loader) gives a demo persona a confirmed TOTP device with the demo's
    fixed secret (``two_factor.DEMO_TOTP_KEY``), so the demo can be signed into; re-running
    resets its replay guard and throttle. Never for people: the secret is published."""
    require(actor, "users.manage")
    if actor is not None:
        raise PermissionDenied
    TOTPDevice.objects.filter(user=user).exclude(key=two_factor.DEMO_TOTP_KEY).delete()
    device, created = TOTPDevice.objects.update_or_create(
        user=user,
        key=two_factor.DEMO_TOTP_KEY,
        defaults={
            "name": two_factor.TOTP_NAME,
            "confirmed": True,
            "last_t": -1,
            "throttling_failure_count": 0,
            "throttling_failure_timestamp": None,
        },
    )
    if created:
        audit.record(
            actor=actor, verb="otp.enrol", obj=user, changes={"two_factor": [None, "demo"]}
        )
    return device
