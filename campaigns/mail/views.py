"""The public unsubscribe page that campaign emails link to. An adapter over campaigns.mail.unsubscribe."""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from campaigns.mail import unsubscribe as unsubscribe_service


@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    email = unsubscribe_service.email_from_token(token)
    if email is None:
        return render(request, "campaigns/link_not_valid.html", status=404)
    if request.method == "POST":
        unsubscribe_service.unsubscribe(email)
        return render(request, "campaigns/mail/unsubscribed.html", {"email": email})
    return render(request, "campaigns/mail/unsubscribe_confirm.html", {"email": email})
