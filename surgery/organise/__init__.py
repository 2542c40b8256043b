"""Organiser pages: events, sessions, bookings and waiting lists."""
