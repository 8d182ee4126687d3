"""The one error the request operations raise: a refusal whose message is for the user."""

from __future__ import annotations


class RequestError(ValueError):
    """A change to a request that cannot be made; nothing was changed."""


class LineGone(RequestError):
    """The line to change was removed by someone else first."""
