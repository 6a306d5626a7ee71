from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.views.decorators.http import require_http_methods

from accounts import views
from accounts.forms import PasswordResetForm

# Form pages answer GET and POST only (Django's FormView would also take PUT as a POST).
form_page = require_http_methods(["GET", "HEAD", "POST"])

app_name = "accounts"

urlpatterns = [
    path(
        "login/",
        form_page(views.LoginView.as_view()),
        name="login",
    ),
    path("logout/", form_page(auth_views.LogoutView.as_view()), name="logout"),
    path(
        "password/change/",
        form_page(
            auth_views.PasswordChangeView.as_view(
                template_name="accounts/password_change.html", success_url=reverse_lazy("accounts:password_change_done")
            )
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        form_page(auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html")),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        form_page(
            views.PasswordResetView.as_view(
                template_name="accounts/password_reset.html",
                form_class=PasswordResetForm,
                email_template_name="emails/password-reset-body.txt",
                subject_template_name="emails/password-reset-subject.txt",
                success_url=reverse_lazy("accounts:password_reset_done"),
            )
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        form_page(auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        form_page(
            auth_views.PasswordResetConfirmView.as_view(
                template_name="accounts/password_reset_confirm.html",
                success_url=reverse_lazy("accounts:password_reset_complete"),
            )
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        form_page(auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html")),
        name="password_reset_complete",
    ),
    path("profile/", views.profile, name="profile"),
    path("notifications/", views.notification_settings, name="notification_settings"),
    path("two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/recovery-codes/", views.two_factor_recovery_codes, name="two_factor_recovery_codes"),
]
