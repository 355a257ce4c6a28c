"""Staff accounts: the password-reset request, throttled and sent through the email pipeline like every
other email (stored, retried, logged), instead of Django's direct send. Used as Wagtail's password-reset
form (WAGTAILADMIN_USER_PASSWORD_RESET_FORM)."""

from django.conf import settings
from django.urls import reverse
from wagtail.admin.forms.auth import PasswordResetForm

from campaigns.mail.services import queue_email
from campaigns.models import MessageKind
from cms import accounts
from cms.links import absolute_url
from cms.ratelimit import client_ip

RESET_WINDOW_SECONDS = 60 * 60


def reset_limits():
    return {
        "account": int(getattr(settings, "PASSWORD_RESETS_PER_ACCOUNT_PER_HOUR", 3)),
        "address": int(getattr(settings, "PASSWORD_RESETS_PER_ADDRESS_PER_HOUR", 10)),
    }


class PipelinePasswordResetForm(PasswordResetForm):
    """Past the hourly limit for the client's address, or for one account, the request is answered as
    usual but nothing more is sent, so the answer never tells whether an account exists and a stranger
    cannot flood a member of staff with emails."""

    def save(self, *args, request=None, **kwargs):
        if request is not None:
            address = client_ip(request)
            if (
                accounts.add_one("reset", "address", address, RESET_WINDOW_SECONDS)
                > reset_limits()["address"]
            ):
                return
        return super().save(*args, request=request, **kwargs)

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        if accounts.add_one("reset", "account", to_email, RESET_WINDOW_SECONDS) > reset_limits()["account"]:
            return
        user = context["user"]
        link = reverse(
            "wagtailadmin_password_reset_confirm",
            kwargs={"uidb64": context["uid"], "token": context["token"]},
        )
        queue_email(
            to=to_email,
            to_name=user.get_full_name(),
            subject="Reset your password",
            template="password_reset",
            context={"reset_url": absolute_url(link), "username": user.get_username()},
            kind=MessageKind.TRANSACTIONAL,
            related=user,
        )
