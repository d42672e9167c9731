"""The second factor when an API token is created (issue 11 item 6): a user with two-factor
sign-in (pcmd.accounts.two_factor) sends ``otp`` with the username and password."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext_lazy as _
from rest_framework.request import Request
from rest_framework.response import Response

from pcmd.accounts import two_factor
from pcmd.core.messages import bilingual

from .errors import LOCKED_OUT, error_body

if TYPE_CHECKING:
    from pcmd.accounts.models import User

NOT_ENROLLED = _(
    "Your role requires two-factor sign-in: set it up on the web (My account) before "
    "creating an API token."
)
MISSING = _("Enter the two-factor code of your authenticator app (field otp).")
WRONG = _("The two-factor code is not correct or has already been used.")
THROTTLED = _("Too many wrong two-factor codes in a row: wait a little, then try again.")


def _refuse(status: int, message: object, field: bool = True) -> Response:
    texts = bilingual(message)
    fields = {"otp": [texts["vi"]]} if field else {}
    return Response(error_body(status, texts, fields), status=status)


def second_factor_refusal(request: Request, user: User, code: str) -> Response | None:
    """``None`` when the user needs no second factor or ``code`` is right; else the JSON
    error. A wrong code counts toward the lockout of the username (django-axes)."""
    if not two_factor.has_device(user):
        if two_factor.requires_two_factor(user):
            return _refuse(403, NOT_ENROLLED)
        return None
    if not code.strip():
        return _refuse(400, MISSING)
    result = two_factor.check_code(user, code)
    if result.ok:
        return None
    django_request = request._request
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=django_request
    )
    if getattr(django_request, "axes_locked_out", False):
        return _refuse(429, LOCKED_OUT, field=False)
    return _refuse(400, THROTTLED if result.throttled else WRONG)
