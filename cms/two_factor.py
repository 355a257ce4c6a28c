"""Two-factor sign-in for staff: a time-based code (TOTP, django-otp) after the password.

Staff in the groups named by STAFF_TWO_FACTOR_GROUPS, and superusers, must have a confirmed authenticator
and enter its code before any admin page opens, when STAFF_TWO_FACTOR_REQUIRED is on (production's
default). Others may set one up from the same page. The pages live under /admin/two-factor/.
"""

import base64

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

# Admin addresses that must open before the second step: signing in and out, resetting a password, the
# two-factor pages themselves, and the admin's script catalogue.
OPEN_PREFIXES = (
    "/admin/login/",
    "/admin/logout/",
    "/admin/password_reset/",
    "/admin/two-factor/",
    "/admin/jsi18n/",
)


def required_for(user):
    if not getattr(settings, "STAFF_TWO_FACTOR_REQUIRED", False) or not user.is_authenticated:
        return False
    groups = set(getattr(settings, "STAFF_TWO_FACTOR_GROUPS", ()))
    return user.is_superuser or user.groups.filter(name__in=groups).exists()


class TwoFactorMiddleware:
    """After django_otp's OTPMiddleware: sends staff who need a second step to set up or enter their code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path_ = request.path
        guarded = path_.startswith("/admin/") and not path_.startswith(OPEN_PREFIXES)
        if guarded and required_for(request.user) and not request.user.is_verified():
            step = "verify" if user_has_device(request.user) else "setup"
            return redirect(f"{reverse(f'cms_two_factor_{step}')}?{urlencode({'next': path_})}")
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.CharField(
        label="The 6-digit code from your authenticator app",
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isascii() and code.isdigit()):
            raise forms.ValidationError("Enter the digits your app shows.")
        return code


def _next(request):
    target = request.GET.get("next") or request.POST.get("next") or reverse("wagtailadmin_home")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return reverse("wagtailadmin_home")
    return target


def _refusal(device):
    """Why a code was not taken: wrong, or tried again too soon after wrong ones (each wrong code doubles
    the wait, so codes cannot be guessed)."""
    allowed, data = device.verify_is_allowed() if device is not None else (True, None)
    if not allowed and data and data.get("locked_until"):
        return "Too many wrong codes. Wait a few seconds, then enter the code your app shows now."
    return "That code does not match. Enter the code your app shows now (check the time on your phone)."


def _qr_svg(text):
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


@login_required(login_url="wagtailadmin_login")
def setup(request):
    """Add an authenticator: scan the code (or type the key), then confirm with the first code it shows."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="Authenticator app", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=request.user, confirmed=False).exclude(pk=device.pk).delete()
            otp_login(request, device)
            messages.success(request, "Two-factor sign-in is set up. You will be asked for a code each time.")
            return redirect(_next(request))
        form.add_error(
            "code", "That code does not match. Check the time on your phone and try the next code."
        )
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    context = {
        "form": form,
        "qr": _qr_svg(device.config_url),
        "key": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
        "next": _next(request),
    }
    return render(request, "cms/two_factor/setup.html", context)


@login_required(login_url="wagtailadmin_login")
def verify(request):
    """The second step of signing in: the current code from the staff member's authenticator."""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in devices_for_user(request.user, confirmed=True):
            if device.verify_token(form.cleaned_data["code"]):
                otp_login(request, device)
                return redirect(_next(request))
        form.add_error("code", _refusal(next(iter(devices_for_user(request.user, confirmed=True)), None)))
    return render(request, "cms/two_factor/verify.html", {"form": form, "next": _next(request)})


def admin_urls():
    return [
        path("two-factor/setup/", setup, name="cms_two_factor_setup"),
        path("two-factor/verify/", verify, name="cms_two_factor_verify"),
    ]
