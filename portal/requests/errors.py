"""The refusals the request operations raise: messages for the user, answered 422 (409
for a conflict with another request) by the one handler unless a view shows them in place."""

from __future__ import annotations

from workflow_designer.engine.errors import Conflict, Refusal


class RequestError(Refusal):
    """A change to a request that cannot be made; nothing was changed."""


class LineGone(RequestError, Conflict):
    """The line to change was removed by someone else first."""
