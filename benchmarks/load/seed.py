"""Seed what the load mix needs, on a database with the demo loaded (benchmarks/load_test.py).

    python benchmarks/load/seed.py SEED.json PASSWORD [--per-kind 20]   # accounts, records
    python benchmarks/load/seed.py --between-runs SEED.json             # before each run
    python benchmarks/load/seed.py --count-approved SEED.json           # after a run

- Load accounts ``load.<kind>.<n>``, each a copy of a demo persona's role, unit and agency
  (standing office, police, district, commune, leadership, Team 178); those whose role needs
  a second factor get the demo's published TOTP secret (demo only), each its own device, so
  that a code is never replayed across users.
- Each editing account gets its own patrol to edit (writes never conflict).
- District accounts sit at eight districts of the province (Buôn Ma Thuột first). Their
  communes' reports are put back to "submitted" (the demo approved most) and shared out
  among the district accounts: each approves only its own, so every approval has a target.
- Every URL of each account's mix is fetched once here with Django's test client, as that
  account: a URL the role may not open would count as an error of the load test.
"""

from __future__ import annotations

import datetime
import json
import os
import random
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from pcmd.accounts import actions as accounts  # noqa: E402
from pcmd.accounts import two_factor  # noqa: E402
from pcmd.accounts.models import User  # noqa: E402
from pcmd.geo.models import Unit, UnitLevel  # noqa: E402
from pcmd.hotspots import actions as hotspots  # noqa: E402
from pcmd.hotspots.models import Hotspot  # noqa: E402
from pcmd.indicators.models import Indicator  # noqa: E402
from pcmd.indicators.sources import may_read  # noqa: E402
from pcmd.inspections.models import Inspection  # noqa: E402
from pcmd.registry.models import Establishment  # noqa: E402
from pcmd.reporting.models import Submission, SubmissionStatus  # noqa: E402
from pcmd.reporting.obligations import can_approve  # noqa: E402

# kind → the demo personas whose role, unit and agency the load accounts copy
TEMPLATES = {
    "standing_office": ["thuongtruc"],
    "police": ["congan"],
    "district": ["huyen.bmt"],
    "commune": ["xa.tanlap", "xa.easo"],
    "leadership": ["lanhdao"],
    "team_178": ["doi178"],
}
YEAR = "2018"
# District accounts are spread over this many districts of the province (each approves its
# own communes' reports: the demo year's commune reports of one district run out in a step).
DISTRICTS = 8
LISTS = [
    ("/hotspots/patrols/?date_from=01/01/2018&date_to=31/12/2018", "hotspots.view"),
    ("/hotspots/?status=active", "hotspots.view"),
    ("/registry/?status=open&licence=expiring", "registry.view"),
    ("/registry/?q=karaoke", "registry.view"),
    ("/inspections/?date_from=01/01/2018&date_to=31/12/2018", "inspections.view"),
]
DASHBOARDS = [
    (f"/dashboard/?period={YEAR}", "dashboard.view"),
    (f"/dashboard/?period={YEAR}-Q2", "dashboard.view"),
]
EXPORTS = [
    ("/hotspots/patrols/export.csv?date_from=01/01/2018&date_to=31/12/2018", "hotspots.view"),
    ("/registry/export.xlsx?status=open", "registry.view"),
    ("/inspections/export.csv?date_from=01/01/2018", "inspections.view"),
    (f"/dashboard/export.csv?period={YEAR}", "dashboard.view"),
]


def _api(indicator: str, unit: Unit) -> list[tuple[str, str]]:
    return [
        ("/api/v1/establishments?status=open", "registry.view"),
        ("/api/v1/patrols", "hotspots.view"),
        ("/api/v1/indicators", "dashboard.view"),
        (f"/api/v1/indicators/{indicator}/values?unit={unit.code}&period={YEAR}", "dashboard.view"),
    ]


def _account(
    kind: str, n: int, template: User, password_hash: str, unit: Unit | None = None
) -> User:
    """``load.<kind>.<n>`` with the template's role and agency, at the template's unit or
    at ``unit``."""
    username = f"load.{kind.replace('_', '')}.{n:02d}"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = accounts.create_user(
            actor=None, username=username, password="x", full_name=username, check_password=False
        )
        for a in template.active_assignments:
            accounts.add_assignment(
                user, actor=None, role=a.role, unit=unit or a.unit, agency=a.agency
            )
    User.objects.filter(pk=user.pk).update(password=password_hash)
    user.password = password_hash  # the session's auth hash is computed from it
    if two_factor.requires_two_factor(user):
        accounts.install_demo_device(user, actor=None)
    return user


def _districts(template: User) -> list[Unit]:
    """The template's district first, then the other districts of its province on the
    same map (a district officer approves only its own communes' reports)."""
    home = template.active_assignments[0].unit
    others = Unit.objects.filter(
        parent_id=home.parent_id,
        level=home.level,
        valid_from=home.valid_from,
        valid_to=home.valid_to,
    ).exclude(pk=home.pk)
    return [home, *others.order_by("code")]


def _indicator(user: User) -> str:
    """An indicator the user reads (modules differ by role), not the trivial unit count."""
    readable = Indicator.objects.visible_to(user).exclude(code="communes").order_by("code")
    code = next((i.code for i in readable if may_read(i, user)), None)
    assert code, user.username
    return code


def _allowed(user: User, urls: list[tuple[str, str]]) -> list[str]:
    return [url for url, capability in urls if user.can(capability)]


def _details(user: User, rng: random.Random) -> list[str]:
    urls: list[str] = []
    for model, prefix, capability in [
        (Establishment, "/registry/", "registry.view"),
        (Hotspot, "/hotspots/", "hotspots.view"),
        (Inspection, "/inspections/", "inspections.view"),
    ]:
        if user.can(capability):
            ids = list(model.objects.visible_to(user).values_list("pk", flat=True)[:400])
            urls += [f"{prefix}{pk}/" for pk in rng.sample(ids, min(15, len(ids)))]
    return urls


def _own_patrol(user: User) -> int:
    assignment = user.active_assignments[0]
    scope = assignment.unit
    commune = (
        Unit.objects.filter(path__startswith=scope.path, level=UnitLevel.COMMUNE, valid_from=None)
        .order_by("code")
        .first()
        if scope.level != UnitLevel.COMMUNE
        else scope
    )
    assert commune is not None
    patrol = hotspots.record_patrol(
        actor=None, on=datetime.date(2018, 6, 1), force=f"Tổ {user.username}", commune=commune
    )
    return patrol.pk


def _check(user: User, urls: list[str]) -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    device = two_factor.totp_device(user)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    for url in urls:
        response = client.get(url, secure=True)
        assert response.status_code == 200, (
            user.username,
            url,
            response.status_code,
            response.get("Location"),
        )
        for _ in getattr(response, "streaming_content", ()):
            pass


@transaction.atomic
def seed(out: Path, password: str, per_kind: int) -> None:
    rng = random.Random(15)
    password_hash = User.objects.get(username="lanhdao").password  # the demo's password
    data: dict[str, Any] = {
        "password": password,
        "totp_key": two_factor.DEMO_TOTP_KEY,
        "accounts": {},
    }
    for kind, names in TEMPLATES.items():
        pool = []
        for n in range(per_kind):
            template = User.objects.get(username=names[n % len(names)])
            unit = _districts(template)[n % DISTRICTS] if kind == "district" else None
            user = _account(kind, n, template, password_hash, unit)
            entry: dict[str, Any] = {
                "username": user.username,
                "details": _details(user, rng),
                "lists": _allowed(user, LISTS),
                "dashboards": _allowed(user, DASHBOARDS),
                "exports": _allowed(user, EXPORTS),
                "api": _allowed(user, _api(_indicator(user), user.active_assignments[0].unit)),
                "submissions": [],
                "two_factor": two_factor.requires_two_factor(user),
            }
            if user.can("hotspots.edit"):
                entry["patrol"] = _own_patrol(user)
            for key in ("details", "lists", "dashboards", "exports", "api"):
                assert entry[key], (user.username, key)
            pool.append((user, entry))
        data["accounts"][kind] = [entry for _, entry in pool]
        if kind == "district":
            _share_submissions([u for u, _ in pool], [e for _, e in pool])
        for user, entry in pool[:1]:
            _check(user, [*entry["details"][:5], *entry["lists"], *entry["dashboards"],
                          *entry["exports"], *entry["api"]])  # fmt: skip
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    total = sum(len(e["submissions"]) for e in data["accounts"]["district"])
    print(f"seeded {sum(len(v) for v in data['accounts'].values())} accounts, {total} reports")


def _share_submissions(users: list[User], entries: list[dict[str, Any]]) -> None:
    """Commune reports the district accounts may approve, submitted (again), dealt
    out one by one so that no two accounts approve the same report."""
    candidates = (
        Submission.objects.filter(
            status__in=[SubmissionStatus.APPROVED, SubmissionStatus.SUBMITTED],
            unit__level=UnitLevel.COMMUNE,
        )
        .select_related("unit", "form_version")
        .order_by("pk")
    )
    dealt: list[int] = []
    turn = 0
    for s in candidates:
        approvers = [i for i, user in enumerate(users) if can_approve(user, s)]
        if approvers:  # the next account in turn among those that may approve it
            i = min(approvers, key=lambda a: (a - turn) % len(users))
            entries[i]["submissions"].append(s.pk)
            dealt.append(s.pk)
            turn = i + 1
    Submission.objects.filter(pk__in=dealt).update(
        status=SubmissionStatus.SUBMITTED, reviewed_at=None, reviewed_by=None, review_comment=""
    )


def between_runs(seed_file: Path) -> None:
    """A new run signs the same accounts in again (forget the codes already used) and
    approves the same reports again (submitted once more)."""
    TOTPDevice.objects.filter(user__username__startswith="load.").update(
        last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
    )
    Submission.objects.filter(pk__in=_seeded_reports(seed_file)).update(
        status=SubmissionStatus.SUBMITTED, reviewed_at=None, reviewed_by=None, review_comment=""
    )


def _seeded_reports(seed_file: Path) -> list[int]:
    data = json.loads(seed_file.read_text(encoding="utf-8"))
    return [pk for e in data["accounts"]["district"] for pk in e["submissions"]]


def count_approved(seed_file: Path) -> int:
    ids = _seeded_reports(seed_file)
    return Submission.objects.filter(pk__in=ids, status=SubmissionStatus.APPROVED).count()


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--between-runs"]:
        between_runs(Path(args[1]))
    elif args[:1] == ["--count-approved"]:
        print(count_approved(Path(args[1])))
    else:
        per_kind = int(args[args.index("--per-kind") + 1]) if "--per-kind" in args else 20
        seed(Path(args[0]), args[1], per_kind)
