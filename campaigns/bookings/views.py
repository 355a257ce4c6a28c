"""Public booking pages: book, confirmation, manage (change, move, cancel) and the waiting list.

Adapters only: they parse the form, call campaigns.bookings.services / waiting_list and render. The pages
set no cookie except CSRF, so outcomes are shown from the URL (?changed=1) rather than flash messages.
"""

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from campaigns.bookings import places as booking_places
from campaigns.bookings import rules as booking_rules
from campaigns.bookings import selectors as selectors_bookings
from campaigns.bookings import services as booking_service
from campaigns.bookings import waiting_list as waiting_service
from campaigns.bookings.forms import (
    CancelBookingForm,
    ChangeBookingForm,
    FindOrganisationForm,
    NewGroupForm,
    booking_form_class,
)
from campaigns.invitations import selectors
from cms.councils import belongs_to_council
from cms.errors import ServiceError
from cms.ratelimit import rate_limited_post
from events.models import BookingMode, Session


def link_not_valid(request):
    return render(request, "campaigns/link_not_valid.html", status=404)


# --- booking -------------------------------------------------------------------------------------


@rate_limited_post("book")
@require_http_methods(["GET", "POST"])
def invitation_book(request, token, session_pk):
    """Book a session of the campaign an invitation is for, on behalf of the invited organisation."""
    # The contact only fills in the form's first view; a submitted form carries the booker's own details.
    invitation = selectors.invitation_by_token(token, with_contact=request.method == "GET")
    if invitation is None:
        return link_not_valid(request)
    session = selectors.campaign_session(invitation.campaign, session_pk)
    if session is None:
        return link_not_valid(request)
    return _book(
        request,
        session=session,
        campaign=invitation.campaign,
        organisation=invitation.organisation,
        invitation=invitation,
        back_url=reverse("campaigns:invitation", args=[token]),
        initial_booker=_contact_initial(invitation) if request.method == "GET" else None,
    )


@rate_limited_post("book")
@require_http_methods(["GET", "POST"])
def book_session(request, session_pk):
    """Open booking from What's on: individuals book themselves; organisations find or register theirs."""
    # An unpublished or withdrawn event's sessions are not found (the plain 404 page).
    session = get_object_or_404(
        Session.objects.select_related("event__authority", "venue"), pk=session_pk, event__live=True
    )
    campaign = booking_rules.campaign_for_session(session)
    _belongs_to_running_council(request, session, campaign)
    back_url = session.event.url or "/"
    if session.event.booking_mode == BookingMode.INDIVIDUAL:
        return _book(request, session=session, campaign=campaign, back_url=back_url)
    if campaign is None or not campaign.open_booking:
        return render(
            request,
            "campaigns/bookings/by_invitation_only.html",
            {"session": session, "campaign": campaign, "contact": booking_rules.contact_sentence(campaign)},
        )
    source = request.POST if request.method == "POST" else request.GET
    if source.get("new_group"):
        group_form = NewGroupForm(request.POST if request.method == "POST" else None)
        return _book(request, session=session, campaign=campaign, back_url=back_url, group_form=group_form)
    organisation_pk = source.get("organisation", "")
    if organisation_pk:
        organisation = selectors_bookings.confirmed_organisation(organisation_pk)
        if organisation is None:
            raise Http404("No such organisation")
        return _book(
            request, session=session, campaign=campaign, organisation=organisation, back_url=back_url
        )
    if request.method == "POST":
        return redirect(request.path)
    find = FindOrganisationForm(request.GET or None)
    results = selectors_bookings.find_organisations(find.cleaned_data["q"]) if find.is_valid() else None
    return render(
        request,
        "campaigns/bookings/choose_organisation.html",
        {"session": session, "campaign": campaign, "find": find, "results": results},
    )


def _belongs_to_running_council(request, session, campaign):
    """The help banner of a booking page names the council that runs the session (cms.councils)."""
    belongs_to_council(request, booking_rules.running_council(session, campaign))


def _contact_initial(invitation):
    contact = invitation.contact
    if contact is None:
        return {}
    return {"booker_name": contact.name, "booker_email": contact.email}


def _book(
    request,
    *,
    session,
    campaign,
    back_url,
    organisation=None,
    invitation=None,
    group_form=None,
    initial_booker=None,
):
    _belongs_to_running_council(request, session, campaign)
    form_class = booking_form_class(session)
    if form_class.__name__.startswith("Individual"):
        kwargs = {"event": session.event}
    else:
        kind = organisation.kind if organisation is not None else ""
        if group_form is not None:
            kind = group_form.data.get("group_kind", "")
        kwargs = {"campaign": campaign, "organisation_kind": kind}
    context = {
        "session": session,
        "campaign": campaign,
        "organisation": organisation,
        "invitation": invitation,
        "group_form": group_form,
        "back_url": back_url,
        "statements": campaign,
    }
    if request.method == "GET":
        if not session.is_open_for_booking():
            context["closed_message"] = _closed_message(session, campaign)
        form = form_class(initial=initial_booker or {}, **kwargs)
        return render(request, "campaigns/bookings/book.html", {**context, "form": form})

    form = form_class(request.POST, **kwargs)
    context["form"] = form
    if form.is_bot:
        return render(request, "campaigns/bookings/not_accepted.html", status=400)
    if not form.is_valid() or (group_form is not None and not group_form.is_valid()):
        return render(request, "campaigns/bookings/book.html", context, status=400)
    fields = form.booking_fields()
    common = {
        "session": session,
        "campaign": campaign,
        "organisation": organisation,
        "invitation": invitation,
        # Both routes here found the session through its campaign, or the campaign through the session.
        "known_in_campaign": True,
    }
    try:
        if request.POST.get("action") == "wait":
            entry = waiting_service.join_waiting_list(
                **common, new_group=_new_group(group_form), language=request.LANGUAGE_CODE, **fields
            )
            return redirect("campaigns:waiting_entry", token=entry.token)
        booking = booking_service.book_places(
            **common,
            new_group=_new_group(group_form),
            submission_key=form.cleaned_data.get("submission_key") or None,
            language=request.LANGUAGE_CODE,  # from the page's address: /pl/… books in Polish
            **fields,
        )
    except (booking_rules.AlreadyBooked, booking_rules.AlreadyWaiting) as exc:
        # The existing booking's or entry's link went to the address stored with it, never to this form.
        return render(
            request,
            "campaigns/bookings/link_sent_again.html",
            {**context, "message": exc.message},
        )
    except booking_places.NotEnoughPlaces as exc:
        form.add_error(None, exc.message)
        context["offer_waiting_list"] = True
        context["places_left"] = exc.places_left
        return render(request, "campaigns/bookings/book.html", context, status=409)
    except ServiceError as exc:
        form.add_error(None, exc.message)
        return render(request, "campaigns/bookings/book.html", context, status=400)
    return redirect("campaigns:booking_confirmed", token=booking.manage_token)


def _new_group(group_form):
    if group_form is None:
        return None
    data = group_form.cleaned_data
    return {"name": data["group_name"], "kind": data["group_kind"], "postcode": data["group_postcode"]}


def _closed_message(session, campaign):
    if session.is_cancelled:
        return "This session has been cancelled."
    if session.has_started:
        return "This session has already taken place."
    return "Booking for this session is not open. " + booking_rules.contact_sentence(campaign)


# --- confirmation and managing a booking -----------------------------------------------------------


@require_http_methods(["GET"])
def booking_confirmed(request, token):
    booking = selectors_bookings.booking_by_token(token)
    if booking is None:
        return link_not_valid(request)
    _belongs_to_running_council(request, booking.session, booking.campaign)
    return render(request, "campaigns/bookings/confirmed.html", _manage_context(booking))


def _manage_context(booking):
    return {
        "booking": booking,
        "session": booking.session,
        "campaign": booking.campaign,
        "can_manage": booking_rules.can_manage_online(booking),
        # An unconfirmed booking cannot be changed, but its booker may withdraw it.
        "can_withdraw": booking.is_unconfirmed,
        "deadline": booking_rules.change_deadline(booking.session, booking.campaign),
        "contact": booking_rules.contact_sentence(booking.campaign),
    }


@rate_limited_post("manage")
@require_http_methods(["GET", "POST"])
def manage_booking(request, token):
    """The booker's private page: see the booking, change numbers, move session, cancel."""
    booking = selectors_bookings.booking_by_token(token)
    if booking is None:
        return link_not_valid(request)
    _belongs_to_running_council(request, booking.session, booking.campaign)
    context = _manage_context(booking)
    sessions = selectors_bookings.sessions_for_moving(booking)
    form = ChangeBookingForm(request.POST or None, booking=booking, sessions=sessions)
    status = 200
    if request.method == "POST":
        if not context["can_manage"]:
            form.add_error(None, "This booking can no longer be changed online. " + context["contact"])
            status = 400
        elif form.is_valid():
            try:
                booking_service.change_booking(booking, **form.changes())
            except ServiceError as exc:
                form.add_error(None, exc.message)
                status = 409 if isinstance(exc, booking_places.NotEnoughPlaces) else 400
            else:
                return redirect(f"{request.path}?{urlencode({'changed': 1})}")
        else:
            status = 400
    context.update(
        {
            "form": form,
            "cancel_form": CancelBookingForm(),
            "changed": request.GET.get("changed") == "1",
            "cancelled": request.GET.get("cancelled") == "1",
        }
    )
    return render(request, "campaigns/bookings/manage.html", context, status=status)


@rate_limited_post("manage")
@require_POST
def cancel_booking(request, token):
    booking = selectors_bookings.booking_by_token(token)
    if booking is None:
        return link_not_valid(request)
    _belongs_to_running_council(request, booking.session, booking.campaign)
    form = CancelBookingForm(request.POST)
    context = _manage_context(booking)
    if form.is_valid():
        try:
            booking_service.cancel_booking(booking)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            manage = reverse("campaigns:manage_booking", args=[booking.manage_token])
            return redirect(f"{manage}?{urlencode({'cancelled': 1})}")
    sessions = selectors_bookings.sessions_for_moving(booking)
    context.update({"form": ChangeBookingForm(booking=booking, sessions=sessions), "cancel_form": form})
    return render(request, "campaigns/bookings/manage.html", context, status=400)


# --- an open booking confirmed (or disowned) by the organisation it was made for ---------------------


@rate_limited_post("manage")
@require_http_methods(["GET", "POST"])
def confirm_booking(request, token):
    """The link emailed to an organisation's known address: confirm the booking made in its name, or say it
    was not them. GET only shows it (link scanners must not confirm); the buttons POST."""
    booking = selectors_bookings.booking_by_confirm_token(token)
    if booking is None:
        return link_not_valid(request)
    _belongs_to_running_council(request, booking.session, booking.campaign)
    context = {"booking": booking, "session": booking.session, "campaign": booking.campaign}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "confirm":
                booking_service.confirm_booking_request(booking)
                context["outcome"] = "confirmed"
            elif action == "decline":
                booking_service.decline_booking_request(booking)
                context["outcome"] = "declined"
            else:
                context["error"] = "Please choose to confirm the booking or to say it was not you."
                status = 400
        except ServiceError as exc:
            context["error"] = exc.message
            status = 409
        booking.refresh_from_db()
    return render(request, "campaigns/bookings/confirm_request.html", context, status=status)


# --- waiting list ------------------------------------------------------------------------------------


@rate_limited_post("waiting")
@require_http_methods(["GET", "POST"])
def waiting_entry(request, token):
    """A waiting-list entry's private page: its place in the queue, an offer to accept, or leaving."""
    entry = selectors_bookings.waiting_entry_by_token(token)
    if entry is None:
        return link_not_valid(request)
    _belongs_to_running_council(request, entry.session, entry.campaign)
    error = ""
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept":
                booking = waiting_service.accept_offer(entry)
                return redirect("campaigns:booking_confirmed", token=booking.manage_token)
            if action == "leave":
                waiting_service.leave_waiting_list(entry)
                return redirect(f"{request.path}?{urlencode({'left': 1})}")
            error = "Please choose to accept the offer or to leave the list."
        except ServiceError as exc:
            error = exc.message
        status = 400
        entry.refresh_from_db()
    ahead = (
        entry.session.waiting_list.filter(status="waiting", position__lt=entry.position).count()
        if entry.status == "waiting"
        else 0
    )
    return render(
        request,
        "campaigns/bookings/waiting.html",
        {
            "entry": entry,
            "session": entry.session,
            "error": error,
            "ahead": ahead,
            "left": request.GET.get("left"),
        },
        status=status,
    )
