"""Public campaign views: thin adapters over campaigns.services."""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from campaigns.services import unsubscribe as unsubscribe_service


@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    email = unsubscribe_service.email_from_token(token)
    if email is None:
        return render(request, "campaigns/link_not_valid.html", status=404)
    if request.method == "POST":
        unsubscribe_service.unsubscribe(email)
        return render(request, "campaigns/unsubscribed.html", {"email": email})
    return render(request, "campaigns/unsubscribe_confirm.html", {"email": email})
