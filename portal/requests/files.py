"""Stored photos follow the request's one commit (``portal.db.finish_request``).

A photo is written before its row and must go again if the request does not commit; a
removed row's file goes only once the removal is committed. Both are decided from the
response's status, after the glue has committed (below 400) or rolled back.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Response, after_this_request, current_app

from portal.requests.uploads import StoredFile, discard


def discard_once_committed(files: Iterable[StoredFile | str]) -> None:
    """Remove ``files`` after the request, if its work was committed."""
    _discard_after(list(files), committed=True)


def discard_unless_committed(files: Iterable[StoredFile | str]) -> None:
    """Remove ``files`` after the request, if its work was rolled back."""
    _discard_after(list(files), committed=False)


def _discard_after(files: list[StoredFile | str], *, committed: bool) -> None:
    if not files:
        return
    folder = current_app.config["UPLOAD_FOLDER"]

    @after_this_request
    def _discard(response: Response) -> Response:
        if (response.status_code < 400) is committed:
            discard(folder, files)
        return response
