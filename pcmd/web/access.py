"""View guards: a missing capability is a 403, never a silent empty page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

from .auth import AuthenticatedHttpRequest


def capability_required(capability: str) -> Callable[..., Any]:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.can(capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        # links and the navigation ask the view what it needs (pcmd_perms.may_open)
        wrapped.capability = capability  # type: ignore[attr-defined]
        return wrapped

    return decorator
