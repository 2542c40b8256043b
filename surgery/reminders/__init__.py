"""Reminders before a session, and the follow-up four weeks after the day."""
