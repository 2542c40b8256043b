"""Errors that services raise and views turn into messages."""


class DomainError(Exception):
    """A rule of the domain said no; the message is fit to show a person."""


class NotBookable(DomainError):
    """The session cannot be booked (open space, cancelled, or in the past)."""


class NotFound(DomainError):
    """The thing asked for does not exist."""
