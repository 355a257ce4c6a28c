"""The public unsubscribe page that campaign emails link to. An adapter over campaigns.mail.unsubscribe.

A GET only shows the confirmation (link scanners follow links); the address is unsubscribed by the page's
form (with its CSRF token) or by a mail program's one-click POST (RFC 8058: a body of exactly
`List-Unsubscribe=One-Click`, sent without cookies, so that one form alone needs no CSRF token).
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from campaigns.mail import unsubscribe as unsubscribe_service


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    if request.method == "POST" and unsubscribe_service.is_one_click(request.POST):
        email = unsubscribe_service.email_from_token(token)
        if email is None:
            return render(request, "campaigns/link_not_valid.html", status=404)
        unsubscribe_service.unsubscribe(email)
        return HttpResponse("Unsubscribed.", content_type="text/plain")
    return _unsubscribe_page(request, token)


@csrf_protect
def _unsubscribe_page(request, token):
    email = unsubscribe_service.email_from_token(token)
    if email is None:
        return render(request, "campaigns/link_not_valid.html", status=404)
    context = {"email": unsubscribe_service.masked(email)}
    if request.method == "POST":
        unsubscribe_service.unsubscribe(email)
        return render(request, "campaigns/mail/unsubscribed.html", context)
    return render(request, "campaigns/mail/unsubscribe_confirm.html", context)
