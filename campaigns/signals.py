"""Signals shared across campaigns: what the lower concepts announce so that reach (above them) can act.

`reach_inputs_changed` is sent after the transaction that changed a register, a training record or a
cohort commits; use `announce_reach_inputs_changed()` inside that transaction.
"""

from django.db import transaction
from django.dispatch import Signal

reach_inputs_changed = Signal()


def announce_reach_inputs_changed(sender=None):
    transaction.on_commit(lambda: reach_inputs_changed.send(sender=sender))
