"""The one way an RMA attachment row is built: a file already stored under a random name
(``portal.requests.uploads.store``), recorded against an RMA line by the user who sent it.
The retailer's photos of a draft line and the warehouse's grading photo both come here."""

from __future__ import annotations

from models import Rma, RmaAttachment, RmaLine, User
from portal.requests.uploads import StoredFile


def new_attachment(rma: Rma, line: RmaLine, stored: StoredFile, actor: User) -> RmaAttachment:
    """The row for ``stored`` on ``line``; the caller adds it to the session."""
    return RmaAttachment(
        rma_id=rma.id,
        rma_line_id=line.id,
        stored_name=stored.stored_name,
        original_name=stored.original_name,
        content_type=stored.content_type,
        size_bytes=stored.size_bytes,
        uploaded_by_id=actor.id,
    )
