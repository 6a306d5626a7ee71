"""Account pages of our own: password reset with a limit on e-mails, and the two-factor login pages.

Logging out and changing a password are Django's views as they are (accounts/urls.py); logging in is Django's with
a warning before the lockout.
"""

import json
import logging
from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from accounts import services
from accounts.forms import (
    LoginForm,
    NotificationPreferencesForm,
    ProfileForm,
    PushSubscriptionForm,
    TwoFactorCodeForm,
)
from accounts.models import NotificationPreferences
from accounts.security import (
    client_ip,
    has_authenticator,
    login_attempts_left,
    password_reset_allowed,
    recovery_codes_left,
    two_factor_required,
)
from common.middleware import also_serves

logger = logging.getLogger(__name__)

# New recovery codes wait here between the page that makes them and the page that shows them, once.
RECOVERY_CODES_SESSION_KEY = "two_factor_recovery_codes"


class LoginView(auth_views.LoginView):
    """Django's, warning once one wrong password is left before the lockout (django-axes counts them)."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    authentication_form = LoginForm

    def form_invalid(self, form):
        username = str(form.data.get("username", ""))[:150]
        # A username the form refused (a NUL, a control character) was never counted: nothing to warn of.
        if (
            username
            and "username" not in form.errors
            and login_attempts_left(username=username, address=client_ip(self.request)) == 1
        ):
            minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
            form.add_error(
                None,
                ngettext(
                    "One more wrong password and logging in to this account from this device is locked for "
                    "%(minutes)s minute. Not sure of it? Use “Forgot your password?” below.",
                    "One more wrong password and logging in to this account from this device is locked for "
                    "%(minutes)s minutes. Not sure of it? Use “Forgot your password?” below.",
                    minutes,
                )
                % {"minutes": minutes},
            )
        return super().form_invalid(form)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's, sending at most so many e-mails per client address and per target address.

    Past the limit the answer is the same redirect to "if the address is ours, the link is on its way": the page
    tells nobody whether an address has an account, nor whether it was throttled.
    """

    def form_valid(self, form):
        if password_reset_allowed(address=client_ip(self.request), email=form.cleaned_data["email"]):
            return super().form_valid(form)
        logger.warning("Password reset not sent: over the limit for the client address or the e-mail")
        return HttpResponseRedirect(self.get_success_url())


def _next_url(request: HttpRequest) -> str:
    """Where to go once the second factor is given: `next` if it is a page of this site, else home."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    hosts = {request.get_host()}
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts=hosts, require_https=request.is_secure()):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(view_name: str, next_url: str) -> str:
    return f"{reverse(view_name)}?{urlencode({'next': next_url})}"


def _qr_code(text: str) -> str:
    return segno.make(text, error="m").svg_data_uri(scale=5, border=2)


def _grouped(key: bytes) -> str:
    secret = b32encode(key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """An authenticator app for a user who must use one and has none: scan the QR code, confirm with a code."""
    next_url, user = _next_url(request), request.user
    if not two_factor_required(user):
        return redirect(next_url)
    if has_authenticator(user):
        # A password alone never adds a phone: whoever has one set up proves it first.
        return redirect(next_url if user.is_verified() else _with_next("accounts:two_factor_verify", next_url))
    device = services.totp_device_for_setup(user=user)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.totp_device_confirm(user=user, device_id=device.pk, code=form.cleaned_data["code"])
        if codes is not None:
            device.refresh_from_db()
            request.session.cycle_key()
            otp_login(request, device)
            request.session[RECOVERY_CODES_SESSION_KEY] = codes
            return redirect(_with_next("accounts:two_factor_recovery_codes", next_url))
        form.add_error("code", _("This code is wrong or has expired. Enter the code the app shows now."))
    context = {"form": form, "qr_code": _qr_code(device.config_url), "key": _grouped(device.bin_key), "next": next_url}
    return render(request, "accounts/two_factor_setup.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of logging in: a code from the authenticator app, or a recovery code."""
    next_url, user = _next_url(request), request.user
    if not two_factor_required(user) or user.is_verified():
        return redirect(next_url)
    if not has_authenticator(user):
        return redirect(_with_next("accounts:two_factor_setup", next_url))
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.two_factor_verify(user=user, code=form.cleaned_data["code"])
        if device is not None:
            request.session.cycle_key()
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = recovery_codes_left(user)
                messages.warning(
                    request,
                    ngettext(
                        "You used a recovery code. %(count)d code is left: make new ones under Change password.",
                        "You used a recovery code. %(count)d codes are left: make new ones under Change password.",
                        left,
                    )
                    % {"count": left},
                )
            return redirect(next_url)
        form.add_error(
            "code", _("This code is wrong or has expired. After several wrong codes, wait a minute before the next.")
        )
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url})


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@login_required
def two_factor_recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, shown once; or how many are left, with a button to replace them."""
    next_url, user = _next_url(request), request.user
    if not user.is_verified():
        return redirect(next_url)
    if request.method == "POST":
        request.session[RECOVERY_CODES_SESSION_KEY] = services.recovery_codes_issue(user=user)
        return redirect(_with_next("accounts:two_factor_recovery_codes", next_url))
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    context = {"codes": codes, "left": recovery_codes_left(user), "next": next_url}
    return render(request, "accounts/two_factor_recovery_codes.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The user's phone and whether the police may call them."""
    user = request.user
    initial = {"phone": user.phone, "contact_only_through_qorgau": user.contact_only_through_qorgau}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.profile_update(user=user, **form.cleaned_data)
        messages.success(request, _("Your contact details are saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    """Which notifications the user wants, by which channels, and their quiet hours (alarms ignore them)."""
    user = request.user
    instance = NotificationPreferences.objects.filter(user=user).first() or NotificationPreferences(user=user)
    form = NotificationPreferencesForm(request.POST or None, instance=instance, user=user)
    if request.method == "POST" and form.is_valid():
        services.notification_preferences_save(user=user, form_data=form.cleaned_data)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("accounts:notification_settings")
    context = {"form": form, "push_configured": bool(settings.VAPID_PUBLIC_KEY)}
    return render(request, "accounts/notification_settings.html", context)


MAX_SUBSCRIPTION_BODY = 4096


@also_serves("DELETE")
@require_http_methods(["POST", "DELETE"])
def push_subscriptions(request: HttpRequest) -> JsonResponse:
    """POST {endpoint, keys: {p256dh, auth}} stores the browser's Web Push subscription for the logged-in user;
    DELETE {endpoint} forgets it. JSON in and out; the session's cookie and the CSRF header as for any POST."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("Log in first.")}, status=401)
    if len(request.body) > MAX_SUBSCRIPTION_BODY:
        return JsonResponse({"error": _("The request is too large.")}, status=400)
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": _("The request is not JSON.")}, status=400)
    if not isinstance(body, dict):
        return JsonResponse({"error": _("The request is not a subscription.")}, status=400)
    endpoint = body.get("endpoint")
    if request.method == "DELETE":
        if not isinstance(endpoint, str) or not endpoint:
            return JsonResponse({"error": _("The request is not a subscription.")}, status=400)
        removed = services.push_subscription_delete(user=request.user, endpoint=endpoint)
        return JsonResponse({"removed": removed})
    keys = body.get("keys") if isinstance(body.get("keys"), dict) else {}
    form = PushSubscriptionForm({"endpoint": endpoint, "p256dh": keys.get("p256dh"), "auth": keys.get("auth")})
    if not all(isinstance(value, str) for value in (endpoint, keys.get("p256dh"), keys.get("auth"))) or not (
        form.is_valid()
    ):
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()} if form.is_bound else {}
        return JsonResponse({"error": _("The subscription was not stored."), "fields": errors}, status=400)
    subscription = services.push_subscription_save(
        user=request.user, user_agent=request.headers.get("User-Agent", ""), **form.cleaned_data
    )
    return JsonResponse({"id": subscription.pk}, status=201)
