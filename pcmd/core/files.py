"""Files written inside a transaction leave storage again when the transaction rolls back.

An action stores an upload, saves the row that names it, and may fail later in the same
transaction (another file refused, a violation that does not validate): the row is rolled
back, and the file must not stay behind in storage as an orphan.

:func:`store` saves the file and registers a commit hook. Django keeps the hooks of an open
transaction and drops those of a transaction or savepoint that rolls back; a dropped hook
is freed at once (nothing else refers to it) and its finaliser deletes the file. The hook
is robust (an earlier hook that fails does not keep it from running on commit), so the
finaliser never needs the database: it may run at any moment, even while the connection is
being torn down.
"""

from __future__ import annotations

import logging
import weakref
from typing import Any

from django.core.files.storage import Storage
from django.db import transaction

log = logging.getLogger(__name__)


class _CommitHook:
    """Called on commit; freed uncalled when the transaction rolls back."""

    __slots__ = ("state", "__weakref__")

    def __init__(self, state: dict[str, bool]) -> None:
        self.state = state

    def __call__(self) -> None:
        self.state["committed"] = True


def _discard_unless_committed(storage: Storage, name: str, state: dict[str, bool]) -> None:
    if state["committed"]:
        return
    storage.delete(name)
    log.info("Deleted %s: its transaction rolled back.", name)


def store(field_file: Any, name: str, content: Any) -> str:
    """Save ``content`` into ``field_file`` (without saving its row) so that it is deleted
    again if the surrounding transaction rolls back. Returns the stored name."""
    field_file.save(name, content, save=False)
    state = {"committed": False}
    hook = _CommitHook(state)
    finaliser = weakref.finalize(
        hook,
        _discard_unless_committed,
        field_file.storage,
        field_file.name,
        state,
    )
    finaliser.atexit = False
    transaction.on_commit(hook, robust=True)
    return str(field_file.name)
