"""Public invitation pages: the page an invitation email links to, and declining. Adapters only."""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from campaigns.invitations import selectors
from campaigns.invitations import services as invitation_service
from campaigns.models import CampaignStatus
from cms.councils import belongs_to_council
from cms.errors import ServiceError


def invitation(request, token):
    """The page an invitation email links to: the campaign and the sessions it offers."""
    found = selectors.invitation_by_token(token)
    if found is None:
        return render(request, "campaigns/link_not_valid.html", status=404)
    # The help banner names the council that runs the campaign (cms.councils).
    belongs_to_council(request, found.campaign.authority)
    sessions = selectors.bookable_sessions(found.campaign)
    return render(
        request,
        "campaigns/invitations/invitation.html",
        {
            "invitation": found,
            "campaign": found.campaign,
            "organisation": found.organisation,
            "sessions": sessions,
            "bookings": selectors.organisation_bookings(found.campaign, found.organisation),
        },
    )


@require_http_methods(["GET", "POST"])
def invitation_decline(request, token):
    """One-click decline: GET asks to confirm (link scanners must not decline), POST records it."""
    found = selectors.invitation_by_token(token)
    # An archived campaign's links have expired.
    if found is None or found.campaign.status == CampaignStatus.ARCHIVED:
        return render(request, "campaigns/link_not_valid.html", status=404)
    belongs_to_council(request, found.campaign.authority)
    context = {"invitation": found, "campaign": found.campaign, "organisation": found.organisation}
    if request.method == "POST":
        try:
            invitation_service.decline(found)
        except ServiceError as exc:
            return render(
                request,
                "campaigns/invitations/invitation_decline.html",
                {**context, "error": exc.message},
                status=409,
            )
        return render(request, "campaigns/invitations/invitation_declined.html", context)
    if found.declined_at is not None:
        return render(request, "campaigns/invitations/invitation_declined.html", context)
    return render(request, "campaigns/invitations/invitation_decline.html", context)
