"""The request type of views that only run for a signed-in user."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from pcmd.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request a view behind ``login_required`` or ``capability_required`` receives: its
    ``user`` is a signed-in :class:`~pcmd.accounts.models.User`, never ``AnonymousUser``.
    Only an annotation for the type checker; the request Django passes is unchanged."""

    user: User
