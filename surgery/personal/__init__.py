"""People's own data: what we forget, what they can take away, and erasing it."""
