"""Qorgau's user forms: admin's (Django's own, bound to `accounts.User`, with roles labelled as such) and the
two-factor login's."""

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common.phones import PhoneField

ROLES_HELP = _(
    "Each role is a group with its permissions. Facility memberships and police post assignments "
    "below say where the role applies."
)


class UserCreationForm(auth_forms.AdminUserCreationForm):
    class Meta(auth_forms.AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "last_name", "first_name", "middle_name", "email", "profession", "phone")


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta(auth_forms.UserChangeForm.Meta):
        model = User
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "groups" in self.fields:
            self.fields["groups"].label = _("Roles")
            self.fields["groups"].help_text = ROLES_HELP


class TwoFactorCodeForm(forms.Form):
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


class ProfileForm(forms.Form):
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
