"""Deployment checks (`manage.py check --deploy`, and every production process at start, config/startup.py): the
settings that let production boot "clean" while nobody gets the notices."""

import ipaddress
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, register

# Backends that deliver nothing: they print, keep in memory, drop or write to a folder.
UNDELIVERED_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback or ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


@register(deploy=True)
def site_url_check(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    """The public address links and QR codes use: set, absolute, not this machine."""
    site_url: str = settings.SITE_URL
    if not site_url:
        return [
            Error(
                "QORGAU_SITE_URL is not set: the QR codes on police notices and the links in e-mails need the "
                "public address.",
                hint="Set QORGAU_SITE_URL=https://qorgau.example.kz (the address users type).",
                id="qorgau.E001",
            )
        ]
    parts = urlsplit(site_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return [
            Error(
                f"QORGAU_SITE_URL={site_url!r} is not an absolute http(s) address.",
                hint="Set QORGAU_SITE_URL=https://qorgau.example.kz.",
                id="qorgau.E002",
            )
        ]
    if _is_loopback(parts.hostname):
        return [
            Error(
                f"QORGAU_SITE_URL={site_url!r} is a loopback address: officers who scan a notice's QR code reach "
                "their own phone.",
                hint="Set QORGAU_SITE_URL to the public address.",
                id="qorgau.E003",
            )
        ]
    return []


@register(deploy=True)
def email_backend_check(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    """Notices, questions and warnings go by e-mail: a backend that delivers nothing loses them silently."""
    backend: str = settings.EMAIL_BACKEND
    if backend in UNDELIVERED_EMAIL_BACKENDS:
        return [
            Error(
                f"E-mail goes to {backend.rsplit('.', 2)[-2]}: no notice, question or warning would be delivered.",
                hint="Set EMAIL_URL, e.g. smtp+tls://user:password@mail.example.kz:587.",
                id="qorgau.E004",
            )
        ]
    return []


@register(deploy=True)
def media_root_check(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    """Evidence and notices are written under MEDIA_ROOT by the web servers and the workers."""
    if settings.STORAGES["default"]["BACKEND"] != "django.core.files.storage.FileSystemStorage":
        return []
    root = Path(settings.MEDIA_ROOT)
    try:
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=root, prefix=".qorgau-check-"):
            pass
    except OSError as exc:
        return [
            Error(
                f"QORGAU_MEDIA_ROOT={root} is not writable by this process (user id {os.getuid()}): {exc.strerror}.",
                hint="Create the folder and give it to the service's user (deploy/README or README, Deploying).",
                id="qorgau.E005",
            )
        ]
    return []
