"""Organiser-editable vocabularies: role tags (who you are) and topics (what help)."""
