"""The rules of a case as data and pure functions: which decisions each stage allows and where
they lead, who owns each stage, what counts as handled, who may stand accused, and the trial
rules for minors. No database writes here (pcmd.cases.actions applies them)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.roles import Capability as C

from .models import PROSECUTED, Decision, Owner, PartyRole, Stage, Standing


@dataclass(frozen=True)
class Move:
    to: str  # the next stage (Stage.CLOSED ends the case)
    handled: bool = False  # a terminal outcome for T4 ("xử lý")
    needs_reason: bool = False


# stage -> decision -> where it leads. SUSPEND stops the clock in every stage; RESUME (an
# action of its own) opens the same stage again.
MOVES: dict[str, dict[str, Move]] = {
    Stage.RECEIVED: {
        Decision.OPEN: Move(Stage.INVESTIGATION),
        Decision.NOT_OPEN: Move(Stage.CLOSED, handled=True, needs_reason=True),
        Decision.TRANSFER_ADMIN: Move(Stage.CLOSED, handled=True, needs_reason=True),
    },
    Stage.INVESTIGATION: {
        Decision.PROPOSE_PROSECUTION: Move(Stage.PROSECUTION),
        Decision.DISCONTINUE: Move(Stage.CLOSED, handled=True, needs_reason=True),
    },
    Stage.PROSECUTION: {
        Decision.INDICT: Move(Stage.TRIAL_PREPARATION, handled=True),
        Decision.NOT_PROSECUTE: Move(Stage.CLOSED, handled=True, needs_reason=True),
        Decision.RETURN: Move(Stage.INVESTIGATION, needs_reason=True),
    },
    Stage.TRIAL_PREPARATION: {
        Decision.BRING_TO_TRIAL: Move(Stage.TRIAL),
        Decision.RETURN: Move(Stage.INVESTIGATION, needs_reason=True),
        Decision.DISCONTINUE: Move(Stage.CLOSED, handled=True, needs_reason=True),
    },
    Stage.TRIAL: {
        Decision.JUDGMENT: Move(Stage.ENFORCEMENT, handled=True),
        Decision.RETURN: Move(Stage.INVESTIGATION, needs_reason=True),
    },
    Stage.ENFORCEMENT: {
        Decision.ENFORCE: Move(Stage.CLOSED),
    },
}
SUSPEND = Move("", needs_reason=True)

# Who owns each stage, and the capability that decides it (pcmd/accounts/roles.py): the
# police, the procuracy (VKSND) and the court (TAND) each decide only their own stages.
OWNERS: dict[str, str] = {
    Stage.RECEIVED: Owner.POLICE,
    Stage.INVESTIGATION: Owner.POLICE,
    Stage.PROSECUTION: Owner.PROCURACY,
    Stage.TRIAL_PREPARATION: Owner.COURT,
    Stage.TRIAL: Owner.COURT,
    Stage.ENFORCEMENT: Owner.COURT,
}
OWNER_CAPABILITY: dict[str, str] = {
    Owner.POLICE: C.EDIT_CASES,
    Owner.PROCURACY: C.PROSECUTE,
    Owner.COURT: C.TRY_CASES,
}
HANDLED_DECISIONS = frozenset(
    d for moves in MOVES.values() for d, move in moves.items() if move.handled
)


def capability_for(stage: str) -> str:
    return OWNER_CAPABILITY[OWNERS[stage]]


def move_for(stage: str, decision: str) -> Move:
    if decision == Decision.SUSPEND and stage in OWNERS:
        return SUSPEND
    move = MOVES.get(stage, {}).get(decision)
    if move is None:
        raise ValidationError(
            {
                "decision": ValidationError(
                    _("This decision cannot be taken at the stage “%(stage)s”."),
                    params={"stage": Stage(stage).label},
                )
            }
        )
    return move


def decisions_for(stage: str) -> list[str]:
    if stage not in OWNERS:
        return []
    return [*MOVES.get(stage, {}), Decision.SUSPEND]


# --- persons --------------------------------------------------------------------------------


def check_standing(role: str, standing: str) -> None:
    """People who sell sex are victims or witnesses, never suspects, accused or defendants
    (Ordinance on Prostitution Prevention 2003 and plan 1842: they are supported, not
    prosecuted)."""
    if role == PartyRole.SELLER and standing in PROSECUTED:
        raise ValidationError(
            {
                "standing": ValidationError(
                    _(
                        "A person who sells sex is recorded as a victim or a witness, never "
                        "as a suspect, an accused or a defendant."
                    )
                )
            }
        )


def age_on(person: Any, day: datetime.date) -> int | None:
    """Age in whole years on ``day`` from the birth date (or, lacking it, the birth year:
    the youngest the person can be)."""
    if person.birth_date:
        born = person.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    if person.birth_year:
        return day.year - person.birth_year - 1
    return None


def is_minor(person: Any, day: datetime.date) -> bool:
    age = age_on(person, day)
    return age is not None and age < 18


# --- trials ---------------------------------------------------------------------------------


def check_trial(
    *, is_mobile: bool, is_closed: bool, minor_participant: bool, minor_victim: bool
) -> None:
    """Circular 02/2018/TT-TANDTC (trials of criminal cases involving persons under 18):
    no mobile trial when a participant is under 18; a closed hearing when the victim of a
    sexual offence is under 18 (prostitution offences against a minor are such offences)."""
    errors: dict[str, ValidationError] = {}
    if is_mobile and minor_participant:
        errors["is_mobile"] = ValidationError(
            _(
                "A person under 18 takes part in this case: it cannot be tried as a mobile "
                "trial (Circular 02/2018/TT-TANDTC)."
            )
        )
    if minor_victim and not is_closed:
        errors["is_closed"] = ValidationError(
            _("The victim is under 18: the hearing must be closed (Circular 02/2018/TT-TANDTC).")
        )
    if errors:
        raise ValidationError(errors)


MINOR_STANDINGS_VICTIM = frozenset({Standing.VICTIM})
