"""Organiser accounts and signing in."""
