"""Small graph helpers shared by apps."""

from __future__ import annotations

from collections.abc import Iterable


def connected(start: Iterable[int], edges: Iterable[tuple[int, int]]) -> set[int]:
    """``start`` and every node linked to it through ``edges``, in either direction,
    transitively."""
    links = list(edges)
    ids = set(start)
    grew = True
    while grew:
        found = {b for a, b in links if a in ids} | {a for a, b in links if b in ids}
        grew = not found <= ids
        ids |= found
    return ids
