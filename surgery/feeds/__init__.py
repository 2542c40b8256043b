"""Calendar feeds: every published day, one day, and a person's own bookings."""
