"""The risk ranking writes a part's reason only when it is read (the home page ranks every
establishment of the scope to show five), in the language the ranking was computed in."""

from __future__ import annotations

import datetime
from typing import Any
from unittest import mock

import pytest
from django.test import RequestFactory
from django.utils import translation

from pcmd.accounts.models import User
from pcmd.home import cards
from pcmd.inspections import risk
from pcmd.registry.models import Establishment

from . import builders as b

pytestmark = pytest.mark.django_db


def _counting(real: Any, calls: list[str]) -> Any:
    def count(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[0] if args else "")
        return real(*args, **kwargs)

    return count


def test_the_home_card_writes_reasons_only_for_the_rows_it_shows() -> None:
    team = b.team(b.province())
    for i in range(40):
        est = b.establishment(b.TAN_LAP, name=f"Cơ sở {i:02d}")
        if i % 2:
            b.inspection(team, est)
    request = RequestFactory().get("/")
    request.user = User.objects.get(username="thuongtruc")
    plural: list[str] = []
    with mock.patch.object(risk, "ngettext", _counting(risk.ngettext, plural)):
        card = cards.inspections_due(cards.Context(request))  # type: ignore[arg-type]
    assert card is not None and card.count == 40 and len(card.items) == cards.MAX_ITEMS
    # one "last inspection" reason per item shown (an inspected row's needs ngettext), not
    # three reasons for each of the 40 rows ranked
    assert len(plural) <= cards.MAX_ITEMS, len(plural)


def test_a_reason_read_later_keeps_the_language_of_the_ranking() -> None:
    b.establishment(b.TAN_LAP, name="never")
    with translation.override("en"):
        rows = risk.score_rows(Establishment.objects.all(), datetime.date(2020, 6, 1))
    with translation.override("vi"):
        assert rows[0].parts[2].reason == "never inspected"
        assert rows[0].parts[0].label == "Kind"
