"""Filters on rows that point at a unit inside one or more subtrees ("every commune of the
province"), written so that PostgreSQL plans them well.

The obvious filter joins the units and compares their path (``commune__path__startswith``).
PostgreSQL then assumes a province's rows are spread over the whole country's ~14,000 units:
it expects 10 establishments where a province has 1,000 and walks the unit table in key
order, ~5–7 ms per query on every register list, card and count (issue 15, load). Filtering
the rows by the ids of the subtree's units (read first, one small indexed query) lets it
estimate from the rows' own column and answer in ~1 ms. A subtree of more than
``ID_LIMIT`` units (a whole country) is filtered by path as before: there the estimate is
right, and the list would be long.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import Q

from .models import Unit

ID_LIMIT = 1000


@models.ForeignKey.register_lookup
class InIds(models.Lookup):
    """``field__in_ids=[ids]``: one array parameter on PostgreSQL (``= ANY(%s)``), not one
    parameter per id: Django prepares and psycopg quotes each of a province's ~200 ids on
    every query otherwise, which doubled the Python time of a register query."""

    lookup_name = "in_ids"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = [int(i) for i in self.rhs]
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", (*lhs_params, ids)
        if not ids:
            return "1 = 0", tuple(lhs_params)
        return f"{lhs} IN ({', '.join(['%s'] * len(ids))})", (*lhs_params, *ids)


def paths_q(paths: Iterable[str], prefix: str = "") -> Q:
    """Units (``prefix`` e.g. ``"parent__"``) whose path starts with one of ``paths``."""
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


def ids_under(paths: Iterable[str]) -> list[int] | None:
    """The ids of the units under ``paths`` (each path's unit included), sorted; ``None``
    when there are more than ``ID_LIMIT``."""
    paths = list(paths)
    if not paths:
        return []
    if "/" in paths:  # every unit
        return None
    found = list(
        Unit.objects.filter(paths_q(paths)).order_by().values_list("pk", flat=True)[: ID_LIMIT + 1]
    )
    return sorted(found) if len(found) <= ID_LIMIT else None


def under_q(field: str, paths: Iterable[str]) -> Q:
    """Rows whose foreign key ``field`` points at a unit under one of ``paths``."""
    paths = list(paths)
    return ids_q(field, paths, ids_under(paths))


def ids_q(field: str, paths: list[str], ids: list[int] | None) -> Q:
    """``under_q`` from an answer of ``ids_under(paths)`` the caller kept."""
    if ids is None:
        return paths_q(paths, f"{field}__")
    return Q(**{f"{field}__in_ids": ids})
