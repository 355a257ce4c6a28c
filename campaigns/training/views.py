"""Public certificate and verification pages: thin adapters over the training services and selectors."""

import re

import qrcode
import qrcode.image.svg
from django.core.cache import cache
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from campaigns.training import selectors as training_selectors
from campaigns.training import services as training
from cms.ratelimit import client_ip

VERIFY_LIMIT = 20  # lookups per address per window: plenty for a licensing officer, useless for guessing
VERIFY_WINDOW_SECONDS = 15 * 60


def qr_svg(url):
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    svg = image.to_string(encoding="unicode")
    # Sized by the stylesheet, not by attributes (the public pages allow no inline styles).
    return re.sub(r'\s(width|height)="[^"]*"', "", svg, count=2)


def initials(name):
    return " ".join(f"{part[0].upper()}." for part in name.split() if part[:1].isalpha())


def licence_ending(licence_number):
    return f"…{licence_number[-4:]}" if licence_number else ""


def _too_many_lookups(request):
    key = f"certificate-verify:{client_ip(request)}"
    cache.add(key, 0, VERIFY_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, VERIFY_WINDOW_SECONDS)
        count = 1
    return count > VERIFY_LIMIT


@require_GET
def verify_certificate(request):
    """Is this certificate genuine and current? Shows the least personal data that answers that."""
    raw = request.GET.get("code", "")
    context = {"code": raw[:40]}
    if raw:
        if _too_many_lookups(request):
            return render(request, "campaigns/training/verify_too_many.html", status=429)
        code = training.normalise_code(raw)
        record = training_selectors.record_by_code(code) if code else None
        if record is None:
            context["outcome"] = "unknown"
        else:
            today = timezone.localdate()
            context.update(
                outcome="revoked"
                if record.revoked
                else ("current" if record.valid_until >= today else "expired"),
                initials=initials(record.name),
                licence_ending=licence_ending(record.licence_number),
                course=record.course.name,
                completed_on=record.completed_on,
                valid_until=record.valid_until,
                formatted_code=training.format_code(record.verification_code),
            )
    return render(request, "campaigns/training/verify.html", context)


@require_GET
def certificate(request, token):
    """The certificate its holder was sent: printable, with a QR code to the verification page."""
    record = training.record_from_certificate_token(token)
    if record is None or not record.certificate_issued:
        return render(request, "campaigns/link_not_valid.html", status=404)
    return render(
        request,
        "campaigns/training/certificate.html",
        {
            "record": record,
            "code": training.format_code(record.verification_code),
            "verification_url": training.verification_url(record),
            "qr_svg": qr_svg(training.verification_url(record)),
            "expired": record.valid_until < timezone.localdate(),
            "refresher_url": training_selectors.refresher_url(record.course),
        },
    )
