"""Registrations and bookings: booking sessions and managing them from a private link."""
