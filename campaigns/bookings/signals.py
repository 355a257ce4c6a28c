"""What the booking services announce, so that the waiting list (above them) can act without being called.

`places_freed` is sent inside the transaction that gave places back to a session (a cancellation, a
smaller booking, a move away); its receiver offers them to the next in line in that same transaction.
"""

from django.dispatch import Signal

# Arguments: session_id, now.
places_freed = Signal()
