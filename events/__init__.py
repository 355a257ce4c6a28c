"""Venues, events, sessions with their capacity, and the one calendar builder."""
