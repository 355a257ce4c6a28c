"""Campaigns, organisations, invitations, bookings, attendance, email pipeline and reach."""
