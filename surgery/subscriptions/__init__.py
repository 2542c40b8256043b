"""People who asked to hear about future surgery days (not attendees: an address only)."""
