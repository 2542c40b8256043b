"""Surgeons: volunteers who help people one to one, and the organisers' view of them."""
