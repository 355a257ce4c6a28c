"""Celery tasks of bookings: thin and idempotent, each calling a service. Scheduled by Celery beat."""

from celery import shared_task

from campaigns.bookings import reconciliation, reminders, services, waiting_list


@shared_task(name="campaigns.bookings.expire_waiting_list_offers")
def expire_waiting_list_offers():
    """Release offers nobody accepted in time, and offer free places to people waiting."""
    expired = waiting_list.expire_offers()
    offered = waiting_list.offer_places_everywhere()
    return {"expired": expired, "offered": offered}


@shared_task(name="campaigns.bookings.expire_unconfirmed_bookings")
def expire_unconfirmed_bookings():
    """Release the places of open bookings their school or group did not confirm in time."""
    return services.expire_unconfirmed_bookings()


@shared_task(name="campaigns.bookings.send_reminders")
def send_booking_reminders():
    return reminders.send_due_reminders()


@shared_task(name="campaigns.bookings.reconcile_places")
def reconcile_places():
    return len(reconciliation.reconcile())
