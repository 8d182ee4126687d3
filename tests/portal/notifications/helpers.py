"""Helpers of the notification tests: a local SMTP inbox and a free port."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy
from email.message import EmailMessage

from tests.shop import shop  # noqa: F401 — shared fixture (escalations)
from tests.world import (  # noqa: F401 — shared fixtures
    fresh_machine_cache,
    world,
)


class Inbox:
    """An aiosmtpd handler that keeps what it accepts, or answers every DATA with a failure."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.failure: str | None = None

    async def handle_DATA(self, server, session, envelope):  # the name aiosmtpd calls
        if self.failure:
            return self.failure
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# The RMA the e-mail waiting in ``sqlite_with_an_email`` is about.
WAITING_RMA = "RMA-2026-000654"
