"""Demo data for the campaigns side, in the order `manage.py seed_demo` loads it (each safe to run again):

- organisations: schools from the register sample, faith and community groups, their contacts, the
  campaigns (this year's and last year's Walk Online, parent sessions, professional training) and
  invitations in every state with their emails;
- bookings: this year's bookings through the booking services, a full session with a waiting list and
  an open offer, individual bookings, and the reminders due before next week's sessions;
- attendance: last year's roadshow booked and its registers taken (the one place past bookings are
  made), training records and certificates, cohorts, and a partner API token.
"""
