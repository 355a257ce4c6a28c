"""What the email pipeline announces, so that what an email is about (an invitation) can mirror it without
the pipeline knowing about it. Both are sent inside the transaction that records the change.
"""

from django.dispatch import Signal

# A message's sending state changed (sent, failed…). Arguments: message.
message_state_changed = Signal()

# A provider's tracking event (delivered, opened, clicked, bounced…) was applied to a message for the
# first time. Arguments: message, event_type (anymail's EventType), when.
tracking_event_applied = Signal()
