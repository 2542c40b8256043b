"""Outgoing mail: an outbox table written with the change that causes it, sent after commit."""
