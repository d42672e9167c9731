"""The risk ranking writes a part's reason only when it is read (the home page ranks every
establishment of the scope to show five), in the language the ranking was computed in, and
makes model instances only for the rows read (a slice: a card, a page of the list or API)."""

from __future__ import annotations

import datetime
from typing import Any
from unittest import mock

import pytest
from django.db.models.signals import post_init
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


def test_a_slice_of_the_ranking_is_the_same_rows_as_the_whole_and_only_those_are_made() -> None:
    team = b.team(b.province())
    b.hotspot(b.TAN_LAP)
    for i in range(30):
        est = b.establishment(b.TAN_LAP if i % 3 else b.EA_SO, name=f"Cơ sở {i:02d}")
        if i % 4:
            b.inspection(team, est, on=datetime.date(2019, 1 + i % 12, 1))
    on = datetime.date(2020, 6, 1)
    whole = list(risk.score_rows(Establishment.objects.all(), on))
    assert [r.rank for r in whole] == list(range(1, 31))
    scores = [r.score for r in whole]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) > 2

    made: list[int] = []

    def count(sender: Any, instance: Any, **kwargs: Any) -> None:
        made.append(instance.pk)

    ranking = risk.score_rows(Establishment.objects.all(), on)
    post_init.connect(count, sender=Establishment)
    try:
        assert len(ranking) == 30 and made == []
        page = ranking[10:15]
        last = ranking[-1]
    finally:
        post_init.disconnect(count, sender=Establishment)
    assert len(made) == 6, made
    expected = whole[10:15]
    assert [(r.establishment.pk, r.score, r.rank) for r in page] == [
        (r.establishment.pk, r.score, r.rank) for r in expected
    ]
    assert [p.reason for r in page for p in r.parts] == [
        p.reason for r in expected for p in r.parts
    ]
    assert (last.establishment.pk, last.rank) == (whole[-1].establishment.pk, 30)
    with pytest.raises(IndexError):
        ranking[30]


def test_a_row_closed_after_the_ranking_is_left_out_of_the_page_not_an_error() -> None:
    for i in range(4):
        b.establishment(b.TAN_LAP, name=f"Cơ sở {i}")
    ranking = risk.score_rows(Establishment.objects.all(), datetime.date(2020, 6, 1))
    first = ranking[0].establishment
    Establishment.objects.filter(pk=first.pk).update(status="closed")
    page = ranking[0:4]
    assert len(ranking) == 4 and len(page) == 3
    assert first.pk not in {r.establishment.pk for r in page}
