"""Matching attendees with surgeons in a surgery session."""
