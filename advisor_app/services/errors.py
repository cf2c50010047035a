"""Errors the user can fix: shown as they are (one line, in French), never as a traceback."""

from __future__ import annotations


class UserError(Exception):
    """A problem with the user's input or environment; ``str(err)`` is the message to show."""
