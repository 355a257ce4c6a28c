"""Staff screens for the register: today's sessions, and a session's register on a phone (counts per booking,
walk-ins, named attendees). Adapters over campaigns.register.services."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from campaigns.models import NO_CHILD_NAMES, Attendance, Booking
from campaigns.panels import HomePanel
from campaigns.policies import require_permission
from campaigns.register import selectors as selectors_attendance
from campaigns.register import services as attendance_service
from campaigns.register.forms import AttendanceForm, NamedWalkInForm, WalkInForm
from campaigns.register.services import MAX_COUNT, NeedsConfirmation
from campaigns.roles import ISSUE_CERTIFICATES, TAKE_REGISTER
from cms.errors import ServiceError
from cms.partnership import scope
from events.models import Session


@require_permission(TAKE_REGISTER)
def register_index(request):
    sessions = scope(selectors_attendance.register_sessions(), request.user)
    return TemplateResponse(request, "campaigns/register/register_index.html", {"sessions": sessions})


class TodaysRegistersPanel(HomePanel):
    """First on the admin home of anyone who takes registers: today's sessions, one tap from each register."""

    name = "todays_registers"
    order = 5
    permission = TAKE_REGISTER
    template_name = "campaigns/register/home_todays_registers.html"

    def get_panel_context(self, request):
        today = timezone.localdate()
        sessions = [
            session
            for session in scope(selectors_attendance.register_sessions(), request.user)
            if timezone.localtime(session.starts_at).date() == today
        ]
        return {"sessions": sorted(sessions, key=lambda session: session.starts_at)}


def _int(request, name):
    try:
        return int(request.POST.get(name) or 0)
    except ValueError:
        raise ServiceError(f"Enter a whole number of {name}.") from None


@require_permission(TAKE_REGISTER)
@require_http_methods(["GET", "POST"])
def register_session(request, session_id):
    session = get_object_or_404(
        scope(Session.objects.select_related("event", "venue"), request.user), pk=session_id
    )
    named = session.event.specific.attendees_named
    organisations = scope(selectors_attendance.walk_in_organisations(session), request.user)
    pending = None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            message = _register_action(request, session, action, organisations)
        except NeedsConfirmation as exc:
            # Nothing saved: the line shows what was entered, the warning and "Yes, this is right".
            pending = _pending(request, exc.message)
            status = 400
        except ServiceError as exc:
            messages.error(request, exc.message)
            status = 400
        except (Booking.DoesNotExist, Attendance.DoesNotExist, ValueError):
            messages.error(request, "That line is no longer on this register. Reload the page and try again.")
            status = 400
        else:
            messages.success(request, message)
            return redirect(
                reverse("campaigns_register_session", args=[session.pk]) + request.POST.get("anchor", "")
            )
    register = selectors_attendance.register(session)
    context = {
        "session": session,
        "named": named,
        "register": register,
        "pending": pending,
        "max_count": MAX_COUNT,
        "walk_in_form": _walk_in_form(request, organisations, pending),
        "walk_in_lines": [
            (line, _walk_in_form(request, organisations, pending, line=line)) for line in register["walk_ins"]
        ],
        "named_walk_in_form": NamedWalkInForm(prefix="named"),
        "today": timezone.localdate(),
        "can_issue_certificates": request.user.has_perm(ISSUE_CERTIFICATES),
        "register_closes_at": attendance_service.register_closes_at(session),
        "no_child_names": NO_CHILD_NAMES,
    }
    return TemplateResponse(request, "campaigns/register/register.html", context, status=status)


def _pending(request, warning):
    """What was entered on the line that needs confirming, to show it again with the warning."""
    post = request.POST
    prefix = "walkin-" if post.get("action") == "walk-in" else ""
    return {
        "warning": warning,
        "booking": post.get("booking", ""),
        "attendance": post.get("attendance", ""),
        "walk_in": post.get("action") == "walk-in",
        "pupils": post.get(f"{prefix}pupils", ""),
        "staff": post.get(f"{prefix}staff", ""),
        "adults": post.get(f"{prefix}adults", ""),
        "notes": post.get(f"{prefix}notes", ""),
    }


def _walk_in_form(request, organisations, pending, *, line=None):
    """The form to add a walk-in (line None) or to correct one; the line being confirmed shows what was
    entered."""
    key = str(line.pk) if line is not None else ""
    if pending and pending["walk_in"] and pending["attendance"] == key:
        return WalkInForm(request.POST, organisations=organisations, prefix="walkin")
    if line is None:
        return _without_confirmation(WalkInForm(organisations=organisations, prefix="walkin"))
    initial = {
        "organisation": line.organisation_id,
        "year_group": line.year_group,
        "pupils": line.pupils,
        "staff": line.staff,
        "adults": line.adults,
        "notes": line.notes,
    }
    return _without_confirmation(WalkInForm(initial=initial, organisations=organisations, prefix="walkin"))


def _without_confirmation(form):
    """ "Yes, this is right" is shown only with the warning it answers."""
    del form.fields["confirmed"]
    return form


def _form_errors(form):
    return "; ".join(error for errors in form.errors.values() for error in errors)


def _booking(request, session):
    return Booking.objects.get(pk=int(request.POST.get("booking", 0)), session=session)


def _register_action(request, session, action, organisations):
    user = request.user
    if action == "all-as-booked":
        count = attendance_service.record_all_as_booked(session, user=user)
        return f"Recorded {count} booking{'s' if count != 1 else ''} as booked. Adjust any that differ."
    if action in ("save", "no-show"):
        booking = _booking(request, session)
        if action == "no-show":
            attendance_service.record_attendance(
                booking, no_show=True, notes=request.POST.get("notes", ""), user=user
            )
            return f"{booking.organisation or booking.booker_name}: marked as not attending."
        form = AttendanceForm(request.POST)
        if not form.is_valid():
            raise ServiceError(
                f"Enter whole numbers of 0 to {MAX_COUNT:,} for pupils, staff and adults: {_form_errors(form)}"
            )
        attendance_service.record_attendance(booking, **form.cleaned_data, user=user)
        return f"{booking.organisation or booking.booker_name}: attendance saved."
    if action in ("came", "did-not-come"):
        booking = _booking(request, session)
        attendance_service.tick_named_attendee(booking, attended=action == "came", user=user)
        return f"{booking.booker_name}: {'attended' if action == 'came' else 'did not attend'}."
    if action == "walk-in":
        line = None
        if request.POST.get("attendance"):
            line = Attendance.objects.get(
                pk=int(request.POST["attendance"]), session=session, booking__isnull=True
            )
        form = WalkInForm(request.POST, organisations=organisations, prefix="walkin")
        if not form.is_valid():
            raise ServiceError("Check the walk-in: " + _form_errors(form))
        attendance_service.record_walk_in(session, **form.cleaned_data, user=user, attendance=line)
        return "Walk-in corrected." if line is not None else "Walk-in saved."
    if action == "remove-walk-in":
        line = Attendance.objects.get(
            pk=int(request.POST.get("attendance", 0)), session=session, booking__isnull=True
        )
        attendance_service.remove_walk_in(line, user=user)
        return "Walk-in removed."
    if action == "issue-certificates":
        count = attendance_service.issue_waiting_certificates(session, user=user)
        return f"Issued {count} certificate{'s' if count != 1 else ''}."
    if action == "named-walk-in":
        form = NamedWalkInForm(request.POST, prefix="named")
        if not form.is_valid():
            raise ServiceError(
                "Check the name and email: " + "; ".join(e for es in form.errors.values() for e in es)
            )
        attendee = attendance_service.add_named_walk_in(session, **form.cleaned_data, user=user)
        return f"{attendee.name} added as attended."
    raise ServiceError("Choose an action.")


def admin_urls():
    return [
        path("register/", register_index, name="campaigns_register"),
        path("register/<int:session_id>/", register_session, name="campaigns_register_session"),
    ]
