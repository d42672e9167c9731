"""The request type of API views whose permission classes admit only signed-in users."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.request import Request

if TYPE_CHECKING:
    from pcmd.accounts.models import User


class AuthenticatedRequest(Request):
    """The request an API view behind ``CapabilityByMethod`` or ``capability()`` handles: its
    ``user`` is a signed-in :class:`~pcmd.accounts.models.User`, never ``AnonymousUser``.
    Only an annotation for the type checker; the request DRF passes is unchanged."""

    user: User
