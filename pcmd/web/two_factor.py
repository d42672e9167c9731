"""Two-factor sign-in on the web: the middleware that holds a password-only session at the
code (or enrolment) page, and the pages: the code after the password, enrolment with a QR code,
recovery codes, the user's own account page and an administrator's reset.

The rules (which users, which codes) live in :mod:`pcmd.accounts.two_factor`; writes in
:mod:`pcmd.accounts.actions`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pcmd.accounts import actions as account_actions
from pcmd.accounts import two_factor
from pcmd.accounts.models import User
from pcmd.api.errors import json_error, lockout_response
from pcmd.web.auth import AuthenticatedHttpRequest

from .access import capability_required

# The session key holding recovery codes between their creation and the page that shows them
# (once: the page removes them).
_NEW_CODES = "pcmd_new_recovery_codes"
VERIFY_FIRST = gettext_lazy(
    "Finish signing in first: enter the code of your authenticator app on the web."
)
ENROL_FIRST = gettext_lazy(
    "Your role requires two-factor sign-in: set it up on the web before anything else."
)


# --- the middleware ------------------------------------------------------------------------


def pending_step(request: HttpRequest) -> str | None:
    """``"verify"`` when the signed-in user has a device but has not given a code in this
    session, ``"enrol"`` when their role needs a device they do not have, else ``None``."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_verified():
        return None
    if two_factor.has_device(user):
        return "verify"
    if two_factor.requires_two_factor(user):
        return "enrol"
    return None


class TwoFactorMiddleware:
    """A session signed in with the password only reaches nothing but the second step: the
    code page (users with a device) or enrolment (roles that need one), plus signing out,
    static files and the language switch. Pages redirect there (keeping ``next``); the API
    answers 403 in both languages (tokens are only issued with a code, pcmd.api.views)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.static_prefix = settings.STATIC_URL or "/static/"

    def allowed(self, path: str) -> bool:
        if path.startswith((self.static_prefix, "/i18n/")):
            return True
        return path in {
            reverse("login"),
            reverse("logout"),
            reverse("two_factor_verify"),
            reverse("two_factor_enrol"),
            reverse("api:token"),
        }

    def __call__(self, request: HttpRequest) -> HttpResponse:
        step = pending_step(request)
        request.two_factor_pending = step is not None  # type: ignore[attr-defined]
        if step is None or self.allowed(request.path):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return json_error(403, VERIFY_FIRST if step == "verify" else ENROL_FIRST)
        target = reverse("two_factor_verify" if step == "verify" else "two_factor_enrol")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")


# --- forms -----------------------------------------------------------------------------------


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9 ]*",
                "maxlength": "7",
                "autofocus": True,
                "class": "otp",
            }
        ),
        help_text=gettext_lazy("The 6-digit code your authenticator app shows now."),
    )


class RecoveryCodeForm(CodeForm):
    """The same field for a recovery code: letters and digits, no numeric keypad."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        field.label = gettext_lazy("Recovery code")
        field.help_text = gettext_lazy("One of the 10 recovery codes you saved (e.g. abcde 23456).")
        field.widget.attrs = {
            "autocomplete": "off",
            "autocapitalize": "none",
            "spellcheck": "false",
            "maxlength": "14",
            "autofocus": True,
            "class": "otp",
        }


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _wrong_code(request: HttpRequest, user: User) -> bool:
    """Count a wrong code toward the sign-in lockout (django-axes, per username and address);
    whether the account is now locked."""
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )
    return bool(getattr(request, "axes_locked_out", False))


def _throttled(result: two_factor.CodeCheck) -> str:
    if result.wait_until is None:
        return _("Too many wrong codes in a row: wait a little, then try again.")
    return _("Too many wrong codes in a row: try again after %(time)s.") % {
        "time": formats.date_format(timezone.localtime(result.wait_until), "d/m/Y H:i:s")
    }


def _locked(request: HttpRequest) -> HttpResponse:
    logout(request)
    return lockout_response(request)


# --- the code after the password -------------------------------------------------------------


@login_required
def verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(_next(request))
    if not two_factor.has_device(user):
        return redirect(reverse("two_factor_enrol") + "?" + urlencode({"next": _next(request)}))
    recovery = request.GET.get("recovery") == "1" or request.POST.get("recovery") == "1"
    form_class = RecoveryCodeForm if recovery else CodeForm
    form = form_class(request.POST or None)
    error = ""
    if request.method == "POST":
        if settings.AXES_ENABLED and AxesProxyHandler.is_locked(
            request, {"username": user.get_username()}
        ):
            return _locked(request)
        if form.is_valid():
            result = two_factor.check_code(user, form.cleaned_data["code"])
            if result.ok:
                request.session.cycle_key()
                django_otp.login(request, result.device)
                if result.recovery:
                    left = two_factor.status(user).recovery_left
                    messages.warning(
                        request,
                        _(
                            "You signed in with a recovery code; it cannot be used again. "
                            "%(left)d recovery codes are left."
                        )
                        % {"left": left},
                    )
                return redirect(_next(request))
            if _wrong_code(request, user):
                return _locked(request)
            error = (
                _throttled(result)
                if result.throttled
                else _("This code is not correct or has already been used. Try the next one.")
            )
    return render(
        request,
        "web/two_factor/verify.html",
        {"form": form, "error": error, "recovery": recovery, "next": _next(request)},
    )


# --- enrolment -------------------------------------------------------------------------------


@login_required
def enrol(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if two_factor.has_device(user):
        if user.is_verified():  # type: ignore[attr-defined]
            return redirect("account")
        return redirect(reverse("two_factor_verify") + "?" + urlencode({"next": _next(request)}))
    device = account_actions.start_enrolment(user, actor=user)
    form = CodeForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        result = two_factor.check_code(user, form.cleaned_data["code"], device=device)
        if result.ok:
            codes = account_actions.confirm_enrolment(user, device, actor=user)
            request.session.cycle_key()
            device.refresh_from_db()
            django_otp.login(request, device)
            request.session[_NEW_CODES] = codes
            messages.success(request, _("Two-factor sign-in is on."))
            return redirect(reverse("two_factor_codes") + "?" + urlencode({"next": _next(request)}))
        error = (
            _throttled(result)
            if result.throttled
            else _("This code is not correct. Check the clock of your phone and try the next one.")
        )
    uri = device.config_url
    return render(
        request,
        "web/two_factor/enrol.html",
        {
            "form": form,
            "error": error,
            "qr": two_factor.qr_svg(uri),
            "uri": uri,
            "secret": two_factor.secret_text(device),
            "required": two_factor.requires_two_factor(user),
            "next": _next(request),
        },
    )


@login_required
def recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The recovery codes just made, shown once."""
    codes = request.session.pop(_NEW_CODES, None)
    if not codes:
        return redirect("account")
    return render(
        request,
        "web/two_factor/codes.html",
        {"codes": [two_factor.format_recovery_code(c) for c in codes], "next": _next(request)},
    )


@require_POST
@login_required
def renew_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not two_factor.has_device(request.user):
        return redirect("two_factor_enrol")
    request.session[_NEW_CODES] = account_actions.renew_recovery_codes(
        request.user, actor=request.user
    )
    messages.success(request, _("New recovery codes made; the old ones no longer work."))
    return redirect("two_factor_codes")


# --- the user's account page and the administrator's reset -----------------------------------


@login_required
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "web/two_factor/account.html",
        {
            "subject": user,
            "assignments": user.active_assignments,
            "two_factor": two_factor.status(user),
        },
    )


@require_POST
@capability_required("users.manage")
def reset(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    subject = get_object_or_404(User.objects.visible_to(request.user), pk=pk)
    account_actions.reset_two_factor(subject, actor=request.user)
    messages.success(
        request,
        _("The two-factor devices of %(user)s were removed; they set it up again at sign-in.")
        % {"user": subject.get_username()},
    )
    return redirect("user_edit", pk=subject.pk)
