"""Account pages of our own: password reset with a limit on e-mails.

Logging in, out and changing a password are Django's views as they are (accounts/urls.py).
"""

import logging

from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect

from accounts.security import client_ip, password_reset_allowed

logger = logging.getLogger(__name__)


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
