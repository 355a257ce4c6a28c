"""Public campaign views: thin adapters over campaigns.services."""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from campaigns import selectors
from campaigns.services import unsubscribe as unsubscribe_service


def invitation(request, token):
    """The page an invitation email links to: the campaign and the sessions it offers."""
    found = selectors.invitation_by_token(token)
    if found is None:
        return render(request, "campaigns/link_not_valid.html", status=404)
    sessions = selectors.bookable_sessions(found.campaign)
    from campaigns.selectors_bookings import organisation_bookings

    return render(
        request,
        "campaigns/invitation.html",
        {
            "invitation": found,
            "campaign": found.campaign,
            "organisation": found.organisation,
            "sessions": sessions,
            "bookings": organisation_bookings(found.campaign, found.organisation),
        },
    )


@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    email = unsubscribe_service.email_from_token(token)
    if email is None:
        return render(request, "campaigns/link_not_valid.html", status=404)
    if request.method == "POST":
        unsubscribe_service.unsubscribe(email)
        return render(request, "campaigns/unsubscribed.html", {"email": email})
    return render(request, "campaigns/unsubscribe_confirm.html", {"email": email})
