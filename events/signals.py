"""Signals the events side raises for higher apps to act on.

`session_changed` is sent by `events.services` (never from a model's save()) after a session's time,
venue or status changed and its calendar sequence went up. Arguments: `session`, `changed_fields`
(a list of field names), `cancelled` (True when the change was a cancellation) and `user` (who made
it, or None). The campaigns
side listens: it emails updated calendar entries to everyone booked or waiting, and on a cancellation
settles every booking and waiting-list entry on the session.
"""

from django.dispatch import Signal

session_changed = Signal()

# `sessions_listed` is sent by `events.selectors.mark_booking_routes` with `sessions` (a list) before a
# listing shows them. Receivers return a set of the ids of sessions that the public cannot book from the
# listing because the booking side takes them only through invitations; those rows say so instead of
# offering a Book button.
sessions_listed = Signal()

# `events_listed` is sent by `events.selectors.listing_state` with `events` (a list of ListedEvent) for
# What's on, whose rows depend on the event only. Receivers return a set of the ids of events whose sessions
# the public cannot book from the listing (the booking side takes them only through invitations).
events_listed = Signal()
