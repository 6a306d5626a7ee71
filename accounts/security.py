"""Login protection: the client's address, login lockouts (django-axes), limits on password-reset e-mails, and who
must give a second factor.

Lockouts count failures two ways (`AXES_LOCKOUT_PARAMETERS`): for one username from one address, so one
nurse's typos never lock out a whole hospital behind NAT; and for the address alone across usernames, with a
higher limit, so one guess for each of many accounts (password spraying) stops too.
"""

import hashlib
import ipaddress
from functools import lru_cache

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Sum
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def trusted_proxy_networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    """`QORGAU_TRUSTED_PROXIES` parsed: addresses or networks (`10.0.0.1`, `10.0.0.0/8`); a typo is refused."""
    try:
        return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies if proxy.strip())
    except ValueError as error:
        raise ImproperlyConfigured(f"QORGAU_TRUSTED_PROXIES: {error}") from error


def _is_trusted(address: str | None, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, reading X-Forwarded-For only as far as our own proxies wrote it.

    The header can be forged by whoever connects. A request that did not come from a proxy named in
    `QORGAU_TRUSTED_PROXIES` is judged by REMOTE_ADDR alone, so a client reaching the app past the proxy
    cannot pick a new address per attempt. From a trusted proxy, the entries are read from the right (the
    ones our proxies appended) up to the first address that is not one of ours: that is the client.
    """
    remote = request.META.get("REMOTE_ADDR")
    networks = trusted_proxy_networks(tuple(settings.QORGAU_TRUSTED_PROXIES))
    if not networks:
        return remote
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    address = remote
    for hop in reversed(forwarded):
        if not _is_trusted(address, networks):
            break
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break  # garbled: keep the last hop we can vouch for
        address = hop
    return address


class LoginThrottleHandler(AxesDatabaseHandler):
    """django-axes' database handler with a limit of its own for the address alone.

    axes compares every lockout parameter set against one limit (`AXES_FAILURE_LIMIT`); here the set that is
    the address alone is held to `QORGAU_LOGIN_ADDRESS_FAILURE_LIMIT` instead. And a successful login clears
    only that user's failures from that address: axes would clear every failure from the address, so a
    sprayer could reset the count by logging in to an account of their own now and then.
    """

    def get_failures(self, request, credentials: dict | None = None) -> int:
        limit = get_failure_limit(request, credentials)
        parameters = get_lockout_parameters(request, credentials)
        failures = 0
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials), strict=True):
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if parameter == "ip_address":
                if count >= settings.QORGAU_LOGIN_ADDRESS_FAILURE_LIMIT:
                    request.login_locked_by_address = True  # the lockout page says so
                    return max(limit, failures)
            else:
                failures = max(failures, count)
        return failures

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username, ip_address=request.axes_ip_address).delete()
        return count


def login_attempts_left(*, username: str, address: str | None) -> int:
    """How many more wrong passwords for this username from this address before the lockout (axes' count).

    Counted for the username typed, whether or not an account has it: a warning says nothing of which exist.
    """
    failures = (
        AccessAttempt.objects.filter(username=username, ip_address=address).aggregate(
            total=Sum("failures_since_start")
        )["total"]
        or 0
    )
    return max(0, settings.AXES_FAILURE_LIMIT - failures)


def _count(key: str) -> int:
    """Adds one to a counter that lives `QORGAU_PASSWORD_RESET_WINDOW_MINUTES` from its first hit."""
    cache.add(key, 0, timeout=settings.QORGAU_PASSWORD_RESET_WINDOW_MINUTES * 60)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=settings.QORGAU_PASSWORD_RESET_WINDOW_MINUTES * 60)
        return 1


def password_reset_allowed(*, address: str | None, email: str) -> bool:
    """Counts one password-reset request; False once the client's address or the target e-mail is over its limit.

    Requests for unknown e-mails count too: the page answers every request the same way, sent or not.
    """
    target = hashlib.sha256(email.strip().lower().encode()).hexdigest()  # no e-mail address in cache keys
    per_address = _count(f"password-reset:address:{address or '-'}")
    per_email = _count(f"password-reset:email:{target}")
    return (
        per_address <= settings.QORGAU_PASSWORD_RESET_LIMIT_PER_ADDRESS
        and per_email <= settings.QORGAU_PASSWORD_RESET_LIMIT_PER_EMAIL
    )


def two_factor_required(user) -> bool:
    """Whether this user must log in with a second factor: officers, administrators, staff and superusers.

    Only while `QORGAU_2FA_REQUIRED` is on (production); reporters, leads and analysts never are.
    """
    if not settings.QORGAU_2FA_REQUIRED or not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or user.has_perm("incidents.work_case") or user.is_administrator


def has_authenticator(user) -> bool:
    """Whether the user has set up an authenticator app (a confirmed TOTP device)."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
