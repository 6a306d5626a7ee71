"""Qorgau's user forms: admin's (Django's own, bound to `accounts.User`, with roles labelled as such), the login,
password reset and two-factor login's. All take the project's text checks (common/forms.py)."""

import base64
import binascii

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from accounts.grants import grant_refusal, role_grant_refusal
from accounts.models import (
    OFFICER_KINDS,
    REPORTER_KINDS,
    FacilityMembership,
    NotificationPreferences,
    Role,
    User,
    push_endpoint_allowed,
)
from common.forms import Form, ModelForm, PlainTextFormMixin
from common.messengers import validate_telegram_chat_id
from common.phones import PhoneField

ROLES_HELP = _(
    "Each role is a group with its permissions. Facility memberships and police post assignments "
    "below say where the role applies."
)


class UsernameLengthMixin(PlainTextFormMixin):
    """A login name longer than any account's is an error on the form, before anyone tries to log in with it.

    Django's AuthenticationForm sets the field's `max_length` after the field is built, so nothing checks it,
    and django-axes then stored the failed attempt's name: 10,000 characters were a 500 (varchar(255)).
    """

    fields: dict[str, forms.Field]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length or User._meta.get_field("username").max_length))


class LoginForm(UsernameLengthMixin, auth_forms.AuthenticationForm):
    """The login page's form."""


class AdminLoginForm(UsernameLengthMixin, AdminAuthenticationForm):
    """Django admin's login form (staff only), with the same checks."""


class PasswordResetForm(PlainTextFormMixin, auth_forms.PasswordResetForm):
    """The password reset page's form."""


class UserCreationForm(PlainTextFormMixin, auth_forms.AdminUserCreationForm):
    class Meta(auth_forms.AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "last_name", "first_name", "middle_name", "email", "profession", "phone")


class UserChangeForm(PlainTextFormMixin, auth_forms.UserChangeForm):
    class Meta(auth_forms.UserChangeForm.Meta):
        model = User
        fields = "__all__"

    # The administrator who submits the form (admin sets it per request): roles are granted by `accounts.grants`.
    granter: User | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "groups" in self.fields:
            self.fields["groups"].label = _("Roles")
            self.fields["groups"].help_text = ROLES_HELP
            # A role is a group named by its code: offered by its name in the admin's language.
            labels = dict(Role.choices)
            self.fields["groups"].label_from_instance = lambda group: str(labels.get(group.name, group.name))

    def clean_groups(self):
        groups = self.cleaned_data["groups"]
        if self.granter is not None:
            before = set(self.instance.groups.values_list("name", flat=True)) if self.instance.pk else set()
            added = {group.name for group in groups} - before
            refusal = role_grant_refusal(granter=self.granter, grantee_id=self.instance.pk, added_roles=added)
            if refusal:
                raise forms.ValidationError(refusal, code="grant")
        return groups


class MembershipGrantForm(ModelForm):
    """A facility, police post or police department membership, as admin's forms and inlines grant it."""

    granter: User | None = None

    def grantee_id(self) -> int | None:
        user = self.cleaned_data.get("user")
        return user.pk if user is not None else self.instance.user_id

    def opens_cases(self) -> bool:
        if isinstance(self.instance, FacilityMembership):
            # A lead of the facility reads its reports; a member only reports from it.
            lead = bool(self.cleaned_data.get("is_lead"))
            return lead and (
                self.instance._state.adding or bool({"is_lead", "facility", "user"} & set(self.changed_data))
            )
        return True  # a police post or department: its cases

    def clean(self):
        cleaned = super().clean()
        if self.granter is not None and self.has_changed() and not cleaned.get("DELETE"):
            refusal = grant_refusal(granter=self.granter, grantee_id=self.grantee_id(), opens_cases=self.opens_cases())
            if refusal:
                raise forms.ValidationError(refusal, code="grant")
        return cleaned


class TwoFactorCodeForm(Form):
    """A code from the authenticator app, or one of the recovery codes."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ProfileForm(Form):
    """What a user sets about themselves: the phone the police may call, or that they may not call at all."""

    phone = PhoneField(
        label=_("Phone"),
        required=False,
        help_text=_("The police post of a case you report sees it, to reach you. For example +7 701 123 45 67."),
    )
    contact_only_through_qorgau = forms.BooleanField(
        label=_("Contact me only through Qorgau"),
        required=False,
        help_text=_(
            "The police then do not see your phone and ask their questions in Qorgau; you answer in My reports."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class NotificationPreferencesForm(ModelForm):
    """Which notifications a user wants, by which channels, and their quiet hours. Only the kinds of their roles
    are offered; alarms are not here: they reach an officer whatever is set, quiet hours included."""

    telegram_chat_id = forms.CharField(
        label=_("Telegram chat id"),
        required=False,
        max_length=64,
        validators=[validate_telegram_chat_id],
        help_text=_("Write /start to the Qorgau bot in Telegram; it answers with this number."),
    )

    class Meta:
        model = NotificationPreferences
        fields = (
            "question",
            "outcome",
            "new_case",
            "overdue",
            "by_webpush",
            "by_telegram",
            "by_email",
            "quiet_from",
            "quiet_until",
        )
        widgets = {
            "quiet_from": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_until": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        help_texts = {
            "quiet_from": _("Local time. Nothing but alarms is sent from then…"),
            "quiet_until": _("…until then; what came meanwhile is sent at that time."),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["telegram_chat_id"].initial = user.telegram_chat_id
        kinds = {*(REPORTER_KINDS if user.is_reporter else ()), *(OFFICER_KINDS if user.is_police_officer else ())}
        for kind in (*REPORTER_KINDS, *OFFICER_KINDS):
            if kind not in kinds:
                del self.fields[kind.value]
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_telegram_chat_id(self) -> str:
        return self.cleaned_data["telegram_chat_id"].strip()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("quiet_from"), cleaned.get("quiet_until")
        if (start is None) != (end is None) and "quiet_from" not in self.errors and "quiet_until" not in self.errors:
            raise forms.ValidationError(_("Give both ends of the quiet hours, or neither."), code="quiet_hours")
        if start is not None and start == end:
            self.add_error("quiet_until", _("The quiet hours end when they start: choose another time."))
        return cleaned


def _b64url_bytes(value: str) -> bytes | None:
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        return None


class PushSubscriptionForm(Form):
    """A browser's PushSubscription (endpoint and keys, as `subscription.toJSON()` gives them), checked."""

    endpoint = forms.CharField(max_length=1000)
    p256dh = forms.CharField(max_length=128)
    auth = forms.CharField(max_length=64)

    def clean_endpoint(self) -> str:
        endpoint = self.cleaned_data["endpoint"].strip()
        if not push_endpoint_allowed(endpoint):
            raise forms.ValidationError(_("This push service is not one Qorgau sends to."), code="push_endpoint")
        return endpoint

    def clean_p256dh(self) -> str:
        value = self.cleaned_data["p256dh"].strip()
        raw = _b64url_bytes(value)
        if raw is None or len(raw) != 65 or raw[0] != 4:
            raise forms.ValidationError(_("The browser's key is not a P-256 public key."), code="push_key")
        return value

    def clean_auth(self) -> str:
        value = self.cleaned_data["auth"].strip()
        raw = _b64url_bytes(value)
        if raw is None or len(raw) != 16:
            raise forms.ValidationError(_("The browser's auth secret is not 16 bytes."), code="push_auth")
        return value
