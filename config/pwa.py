"""The installable app: the web app manifest per language and role, the service worker at the site's root, the
install help page, the offline page, and the state the outbox script asks for before it sends.

It lives in `config/` beside the home page because the start address of each role names other apps' pages.
"""

import hashlib
import json
import uuid
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from incidents.services.drafts import outbox_limits, report_form_token

THEME_COLOR = "#0d6efd"  # the navigation bar (Bootstrap's primary); the icons are drawn in it (scripts/make_icons.py)
BACKGROUND_COLOR = "#ffffff"
ICON_SIZES = (48, 72, 96, 128, 144, 152, 192, 256, 384, 512)
MASKABLE_SIZES = (192, 512)

# Where the installed app opens, per role: the page each one opens first on a shift.
ROLE_START = {
    "reporter": "incidents:report",
    "lead": "incidents:facility_reports",
    "officer": "incidents:case_inbox",
    "analyst": "analytics:dashboard",
    "other": "home",
}

# The application shell: cached when the worker installs, so that the home page and the report form open with no
# connection. Pages are fetched with the user's session; those the user may not open are skipped by the worker.
SHELL_STATIC = (
    "vendor/bootstrap-5.3.9/css/bootstrap.min.css",
    "vendor/bootstrap-5.3.9/js/bootstrap.bundle.min.js",
    "css/qorgau.css",
    "css/report.css",
    "js/qorgau.js",
    "js/report.js",
    "js/outbox.js",
    "js/pwa.js",
    "img/favicon.svg",
    "img/icons/icon-192.png",
    "img/icons/maskable-192.png",
)
SHELL_PAGES = ("home", "incidents:report", "pwa_offline", "pwa_install")


def role_of(user: object) -> str:
    """The role whose start page the installed app opens (the first that applies, a reporter first)."""
    has_perm = getattr(user, "has_perm", None)
    if not getattr(user, "is_authenticated", False) or has_perm is None:
        return "other"
    for role, permission in (
        ("reporter", "incidents.report_incident"),
        ("officer", "incidents.work_case"),
        ("lead", "incidents.view_facility_incidents"),
        ("analyst", "incidents.view_statistics"),
    ):
        if has_perm(permission):
            return role
    return "other"


@require_safe
def manifest(request: HttpRequest, language: str, role: str) -> HttpResponse:
    """The web app manifest in `language`, opening at `role`'s page. It holds nobody's data: cacheable."""
    if language not in dict(settings.LANGUAGES) or role not in ROLE_START:
        raise Http404
    with translation.override(language):
        icons = [
            {"src": static(f"img/icons/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
            for size in ICON_SIZES
        ] + [
            {
                "src": static(f"img/icons/maskable-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "maskable",
            }
            for size in MASKABLE_SIZES
        ]
        body = {
            # One app whatever the language or role of the page it was installed from.
            "id": "/",
            "name": _("Qorgau — protection of medical workers"),
            "short_name": _("Qorgau"),
            "description": _("Report threats and violence against medical workers to the hospital police post."),
            "lang": language,
            "dir": "ltr",
            "start_url": reverse(ROLE_START[role]) + "?source=app",
            "scope": "/",
            "display": "standalone",
            "orientation": "portrait",
            "theme_color": THEME_COLOR,
            "background_color": BACKGROUND_COLOR,
            "categories": ["medical", "utilities"],
            "icons": icons,
            "shortcuts": [
                {
                    "name": _("Report an incident"),
                    "url": reverse("incidents:report"),
                    "icons": [{"src": static("img/icons/icon-96.png"), "sizes": "96x96", "type": "image/png"}],
                }
            ]
            if role == "reporter"
            else [],
        }
    response = HttpResponse(json.dumps(body, ensure_ascii=False), content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _worker_source() -> str:
    found = finders.find("js/sw.js")
    return Path(str(found)).read_text(encoding="utf-8") if found else ""


def _shell_digest(release: str) -> str:
    digest = hashlib.sha256()
    for path in SHELL_STATIC:
        found = finders.find(path)
        digest.update(path.encode())
        if found:
            digest.update(Path(str(found)).read_bytes())
    digest.update(_worker_source().encode())
    digest.update(release.encode())
    return digest.hexdigest()[:12]


# A server's files do not change while it runs: read them once per release name (every time under DEBUG).
_shell_digest_once = lru_cache(maxsize=4)(_shell_digest)


def shell_version() -> str:
    """The caches' version: a digest of the shell's files and of the worker's code, plus QORGAU_PWA_RELEASE.

    A change of any of them changes the worker's bytes, so browsers install the new worker and it drops the old
    caches. (In production the static addresses carry their own hash too.)
    """
    if settings.DEBUG:
        return _shell_digest(settings.QORGAU_PWA_RELEASE)
    return _shell_digest_once(settings.QORGAU_PWA_RELEASE)


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker (static/js/sw.js with its configuration first), served at /sw.js: its scope is the site."""
    config = {
        "version": shell_version(),
        "static": [static(path) for path in SHELL_STATIC],
        "pages": [reverse(name) for name in SHELL_PAGES],
        "offline": reverse("pwa_offline"),
        "reportForm": reverse("incidents:report"),
        "outboxScript": static("js/outbox.js"),
        "staticPrefix": settings.STATIC_URL,
        "icon": static("img/icons/icon-192.png"),
        "badge": static("img/icons/icon-96.png"),
        "outboxLimits": outbox_limits(),
    }
    source = f"self.QORGAU_SW = {json.dumps(config)};\n{_worker_source()}"
    response = HttpResponse(source, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    # Never cached by HTTP: a browser then sees a new worker at its next visit.
    response["Cache-Control"] = "no-cache, max-age=0"
    return response


@require_safe
def install_help(request: HttpRequest) -> HttpResponse:
    """How to install Qorgau on Android and iPhone, and the switch for notifications, in the UI language."""
    limits = outbox_limits()
    return render(request, "pwa/install.html", {"outbox_report_max": limits["item"], "outbox_max": limits["total"]})


@require_safe
def offline(request: HttpRequest) -> HttpResponse:
    """The page the worker shows for a page it has not kept, with no connection."""
    return render(request, "pwa/offline.html")


@never_cache
@require_safe
def state(request: HttpRequest) -> JsonResponse:
    """Who is logged in, with a fresh CSRF token: asked by the outbox before it sends what waits on the phone.

    With `?key=<draft key>` it also gives the form's signed value for that key (the one a report page carries),
    so a queued report is the logged-in user's own page, whatever the key the phone made for it offline.
    """
    user = request.user
    if not user.is_authenticated:
        return JsonResponse({"authenticated": False, "login": reverse("accounts:login")})
    body: dict[str, object] = {"authenticated": True, "user": user.pk, "csrf": get_token(request)}
    try:
        key = uuid.UUID(request.GET.get("key", ""))
    except ValueError:
        key = None
    if key is not None and user.has_perm("incidents.report_incident"):
        body["keep_token"] = report_form_token(user=user, key=key)
    return JsonResponse(body)


def app(request: HttpRequest) -> dict[str, object]:
    """Template context of every page: the role whose manifest the page links, and the app script's words."""
    return {
        "pwa_role": SimpleLazyObject(lambda: role_of(request.user)),
        "pwa_strings": {
            "waiting": _("Waiting for connection: will be sent automatically."),
            "waitingCount": _("Reports waiting on this phone: %(count)s"),
            "alarmsWaiting": _("SOS alarms waiting on this phone: %(count)s"),
            "sent": _("Reports sent from this phone just now: %(count)s. They are in “My reports”."),
            "attention": _("A report sent from this phone needs a correction: open it in “My reports”."),
            "login": _("You were logged out. Log in to send the reports waiting on this phone."),
            "loginButton": _("Log in and send"),
            "sosOffline": _("No connection. Call 102 now. The alarm will be sent as soon as there is a connection."),
            "sosNotKept": _("No connection, and the alarm could not be kept on this phone. Call 102 now."),
            "call102": _("Call 102"),
            "logoutWarning": _(
                "%(count)s reports have not been sent yet. If you log out now, they are deleted from this phone. "
                "Log out anyway?"
            ),
            "pushUnavailable": _("Notifications are not available in this browser or on this server."),
            "pushOn": _("Notifications are on for this phone."),
            "pushDenied": _("Notifications are blocked for Qorgau in this browser's settings."),
            "pushFailed": _("Notifications could not be turned on. Try again later."),
        },
    }
