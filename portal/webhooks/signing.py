"""Standard Webhooks secrets and signatures, through the reference ``standardwebhooks``
package so receivers verify with the same code that signed."""

from __future__ import annotations

import base64
import secrets
from datetime import datetime

from standardwebhooks.webhooks import Webhook

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32


def new_secret() -> str:
    """A ``whsec_`` secret: 256 random bits in base64, as the spec describes them."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def signed_headers(secret: str, event_id: str, body: str, at: datetime) -> dict[str, str]:
    """The three headers of the spec for ``body`` sent at ``at`` (wall-clock time: the
    receiver compares it with its own clock)."""
    signature = Webhook(secret).sign(event_id, at, body)
    return {
        "webhook-id": event_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature,
    }
