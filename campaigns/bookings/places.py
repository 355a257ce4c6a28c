"""Session capacity: the only two statements that move `Session.places_taken`.

Places are taken and released only by `take_places` / `release_places`: one conditional UPDATE of
`Session.places_taken` each, inside the caller's transaction, guarded by the session's CHECK
constraint. No lock is held across Python code, so hundreds of bookers can arrive at once and the
counter never passes the capacity, on PostgreSQL and on SQLite (WAL, IMMEDIATE transactions).
"""

import logging

from django.db import IntegrityError
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cms.errors import ServiceError
from events.models import Session, SessionStatus

logger = logging.getLogger(__name__)


class NotEnoughPlaces(ServiceError):
    """Fewer places are left than were asked for. `places_left` says how many there are."""

    def __init__(self, places_left):
        self.places_left = places_left
        if places_left <= 0:
            message = _("Sorry, this session is now full.")
        else:
            message = ngettext(
                "Sorry, only %(count)s place is left at this session.",
                "Sorry, only %(count)s places are left at this session.",
                places_left,
            ) % {"count": places_left}
        super().__init__(message, code="not_enough_places")


def take_places(session_id, places):
    """Take `places` at a session in one conditional statement, or raise NotEnoughPlaces."""
    if places <= 0:
        raise ServiceError(_("A booking must hold at least one place."))
    try:
        taken = (
            Session.objects.filter(
                pk=session_id, status=SessionStatus.SCHEDULED, places_taken__lte=F("capacity") - places
            ).update(places_taken=F("places_taken") + places)
            == 1
        )
    except IntegrityError:
        # The CHECK constraint is the last line of defence; the WHERE clause should have stopped this.
        logger.error("Capacity check constraint refused %s places at session %s", places, session_id)
        raise ServiceError(_("Sorry, there are not enough places left at this session."), code="capacity")
    if not taken:
        left = (
            Session.objects.filter(pk=session_id)
            .values_list(F("capacity") - F("places_taken"), flat=True)
            .first()
        )
        raise NotEnoughPlaces(max(left or 0, 0))


def release_places(session_id, places):
    """Give `places` back to a session: the mirror of take_places."""
    if places <= 0:
        return
    released = (
        Session.objects.filter(pk=session_id, places_taken__gte=places).update(
            places_taken=F("places_taken") - places
        )
        == 1
    )
    if not released:
        # The counter is lower than the bookings it should hold: never go below zero, and say so loudly.
        logger.error("Session %s held fewer places than the %s being released", session_id, places)
        Session.objects.filter(pk=session_id).update(places_taken=Greatest(F("places_taken") - places, 0))
