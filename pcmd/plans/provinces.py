"""Another province in one step: its units, its agencies from the template, an empty draft
plan for the year and, optionally, its standing office's first account (issue 14, item 7).

``load_province`` is the one action behind ``manage.py load_province`` and the page
/plans/provinces/; ``loaded_provinces`` is what that page lists. Loading is idempotent: units
and agencies are keyed by code, the draft is made once per province and year, the account once.
"""

from __future__ import annotations

import datetime
import secrets
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcmd.accounts import actions as accounts
from pcmd.accounts.models import Assignment, User
from pcmd.accounts.permissions import require
from pcmd.accounts.roles import Role
from pcmd.agencies.loader import MAP_2025, MAP_LEGACY, MAPS, load_province_agencies, map_of
from pcmd.agencies.models import Agency, AgencyRoleKind
from pcmd.core import audit
from pcmd.core.messages import bilingual
from pcmd.geo.loader import (
    LEGACY_LAST_DAY,
    UnknownProvince,
    legacy_province_codes,
    load_provinces,
    resolve_province,
)
from pcmd.geo.models import Unit, UnitLevel, valid_on_q

from .actions import create_draft
from .models import Plan, PlanType
from .selectors import provinces_of

TITLE = "Kế hoạch phòng, chống tệ nạn mại dâm năm {year}"
MAP_LABELS = {
    MAP_2025: _("two-tier map (from 01/07/2025)"),
    MAP_LEGACY: _("three-tier map (until 30/06/2025)"),
}
UNKNOWN = _("There is no province “%(name)s” in the list of administrative units.")
BAD_MAP = _("Choose the map: 2025 or legacy.")
BAD_USERNAME = _("A user name has 3 to 150 letters, digits or . _ - @ +, without spaces.")


class ProvinceError(ValidationError):
    """A refusal with its message in both languages (``texts``), naming the field."""

    def __init__(self, field_name: str, message: Any, **params: Any) -> None:
        self.texts = bilingual(message, **params)
        self.field = field_name
        super().__init__({field_name: self.texts["vi"]})


@dataclass
class ProvinceLoad:
    province: Unit
    map: str
    units_created: int
    units: int
    agencies: int
    plan: Plan
    plan_created: bool
    user: User | None = None
    password: str = ""  # shown once, only when the account was created
    province_names: list[str] = field(default_factory=list)


def province_choices() -> list[tuple[str, str]]:
    """The package's provinces (three-tier list, by GSO code) for a select."""
    from pcmd.geo.loader import _rows

    rows = _rows("SELECT DISTINCT provinceCode, province FROM admin_units_legacy")
    names = {r["provinceCode"]: r["province"] for r in rows}
    return [(code, f"{names[code]} ({code})") for code in legacy_province_codes()]


def _target(legacy: Unit, on_map: str) -> Unit:
    """The province-level unit of ``on_map`` that ``legacy`` is (three-tier) or became."""
    if on_map == MAP_LEGACY:
        return legacy
    return Unit.objects.get(
        predecessor_links__predecessor=legacy,
        level=UnitLevel.PROVINCE,
        valid_from__isnull=False,
    )


def _year(on_map: str, year: int | None) -> int:
    if year is not None:
        return year
    today = timezone.localdate().year
    return today if on_map == MAP_2025 else min(today, LEGACY_LAST_DAY.year)


def _draft(province: Unit, year: int) -> tuple[Plan, bool]:
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    existing = Plan.objects.filter(
        unit=province, plan_type=PlanType.YEARLY, period_start=start, period_end=end
    ).first()
    if existing is not None:
        return existing, False
    header = {"title": TITLE.format(year=year), "period_start": start, "period_end": end}
    # The system drafts it: the province is new, nobody holds plan.edit there yet.
    plan = create_draft(province, header, {}, actor=None, note="Dự thảo trống khi nạp tỉnh")
    return plan, True


def _standing_office(province: Unit) -> Agency | None:
    today = timezone.localdate()
    return (
        Agency.objects.filter(
            roles__role=AgencyRoleKind.STANDING_OFFICE, unit_id__in=provinces_of(province)
        )
        .filter(valid_on_q(today, "roles__"))
        .order_by("-unit__valid_from", "pk")
        .first()
    )


USER_TAKEN = _(
    "This user name belongs to an existing account: choose a new one for the province's "
    "standing office."
)


def _check_username(username: str) -> None:
    try:
        User.username_validator(username)
    except ValidationError:
        raise ProvinceError("admin_user", BAD_USERNAME) from None
    if not 3 <= len(username) <= 150:
        raise ProvinceError("admin_user", BAD_USERNAME)


def _account(province: Unit, username: str) -> tuple[User, str]:
    """The standing office's account at ``province`` (created with a one-time password)."""
    user = User.objects.filter(username=username).first()
    password = ""
    if user is not None and (
        user.is_superuser
        or Assignment.objects.filter(user=user)
        .exclude(role=Role.STANDING_OFFICE, unit=province)
        .exists()
    ):
        # never hand an existing account (the administrator's, another province's officer)
        # the standing office's rights, which include reading identities
        raise ProvinceError("admin_user", USER_TAKEN)
    if user is None:
        password = secrets.token_urlsafe(12)
        user = accounts.create_user(
            actor=None,
            username=username,
            password=password,
            full_name=f"Cơ quan thường trực {province.name}",
        )
    if not Assignment.objects.filter(user=user, role=Role.STANDING_OFFICE, unit=province).exists():
        accounts.add_assignment(
            user,
            actor=None,
            role=Role.STANDING_OFFICE,
            unit=province,
            agency=_standing_office(province),
        )
    return user, password


@transaction.atomic
def load_province(
    token: str,
    *,
    actor: Any,
    on_map: str = MAP_2025,
    admin_user: str = "",
    year: int | None = None,
) -> ProvinceLoad:
    """Load a province (GSO code or name) on ``on_map``: units of both maps (the package
    loads them together, linked across the 2025 reform), the agencies of the chosen map, an
    empty yearly draft plan and optionally the standing office's account."""
    require(actor, "users.manage")
    require(actor, "catalogs.edit")
    if on_map not in MAPS:
        raise ProvinceError("map", BAD_MAP)
    admin_user = str(admin_user or "").strip()
    if admin_user:
        _check_username(admin_user)
    try:
        code = resolve_province(str(token or ""))
    except UnknownProvince:
        raise ProvinceError("province", UNKNOWN, name=str(token or "").strip()[:80]) from None
    result = load_provinces([code])
    legacy = Unit.objects.get(code=code, level=UnitLevel.PROVINCE, valid_from=None)
    province = _target(legacy, on_map)
    agencies = load_province_agencies(province)
    plan, plan_created = _draft(province, _year(on_map, year))
    user, password = _account(province, admin_user) if admin_user else (None, "")
    units = Unit.objects.filter(path__startswith=province.path).count()
    audit.record(
        actor=actor,
        verb="province.load",
        obj=province,
        changes={
            "map": [None, on_map],
            "units_created": [None, result.created],
            "agencies": [None, agencies],
            "plan": [None, plan.pk],
            "user": [None, user.username if user else None],
        },
    )
    return ProvinceLoad(
        province=province,
        map=on_map,
        units_created=result.created,
        units=units,
        agencies=agencies,
        plan=plan,
        plan_created=plan_created,
        user=user,
        password=password,
        province_names=result.provinces,
    )


@dataclass
class LoadedProvince:
    unit: Unit
    map: str
    units: int
    agencies: int
    plans: int
    users: int

    @property
    def map_label(self) -> str:
        return str(MAP_LABELS[self.map])


def loaded_provinces() -> list[LoadedProvince]:
    """Every province-level unit with its counts (five queries whatever the size)."""

    def top(path: str | None) -> int:
        return int(path.strip("/").split("/")[0]) if path and path.strip("/") else 0

    provinces = list(Unit.objects.filter(level=UnitLevel.PROVINCE).order_by("name", "valid_from"))
    units = Counter(top(p) for p in Unit.objects.values_list("path", flat=True))
    agencies = Counter(top(p) for p in Agency.objects.values_list("unit__path", flat=True))
    plans = Counter(Plan.objects.exclude(unit=None).values_list("unit_id", flat=True))
    today = timezone.localdate()
    holders: dict[int, set[int]] = {}
    for path, user_id in (
        Assignment.objects.filter(valid_on_q(today), user__is_active=True)
        .values_list("unit__path", "user_id")
        .iterator()
    ):
        holders.setdefault(top(path), set()).add(user_id)
    return [
        LoadedProvince(
            unit=p,
            map=map_of(p),
            units=units[p.pk],
            agencies=agencies[p.pk],
            plans=plans[p.pk],
            users=len(holders.get(p.pk, ())),
        )
        for p in provinces
    ]
