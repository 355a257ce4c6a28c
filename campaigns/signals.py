"""Signals shared across campaigns: what the lower concepts announce so that reach (above them) can act.

`reach_inputs_changed` is sent after the transaction that changed a register, a training record or a
cohort commits; use `announce_reach_inputs_changed()` inside that transaction.

`follow_up_pack_written` is sent while a school's follow-up pack is being written (kwarg `booking`); a
receiver may return a dict of plain values to add to the email's context (evaluation adds the school's quiz
report link), so the register never calls the concepts above it. `training_certificate_written` (kwarg
`record`) does the same for a training certificate's email (evaluation adds the link to its anonymous
evaluation).

`training_evaluation_requested` (kwarg `record`) is sent when a course asks for its evaluation before the
certificate: a receiver returns {"evaluation_url": the trainee's personal link} when the session has an
adults' questionnaire; with no answer the certificate is issued as usual.
"""

from django.db import transaction
from django.dispatch import Signal

reach_inputs_changed = Signal()
follow_up_pack_written = Signal()
training_certificate_written = Signal()
training_evaluation_requested = Signal()


def announce_reach_inputs_changed(sender=None):
    transaction.on_commit(lambda: reach_inputs_changed.send(sender=sender))
