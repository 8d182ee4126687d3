"""The development mail sink: each message is an .eml file under instance/mail/, which
admins read on the "Mail sink" page (registered in development and testing only)."""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

NAME = re.compile(r"^[0-9]{8}T[0-9]{12}-[0-9a-f]{8}\.eml$")


def sink_folder(instance_path: str) -> str:
    return os.path.join(instance_path, "mail")


class SinkTransport:
    def __init__(self, folder: str) -> None:
        self.folder = folder

    def send(self, message: EmailMessage) -> None:
        os.makedirs(self.folder, exist_ok=True)
        name = f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{secrets.token_hex(4)}.eml"
        temporary = os.path.join(self.folder, f".{name}.tmp")
        with open(temporary, "wb") as handle:
            handle.write(message.as_bytes(policy=policy.SMTP))
        os.replace(temporary, os.path.join(self.folder, name))  # readers never see half a file

    def close(self) -> None:
        pass


@dataclass(frozen=True)
class SinkEntry:
    name: str
    subject: str
    to: str
    date: str


def list_sink(folder: str, limit: int = 200) -> list[SinkEntry]:
    """The newest ``limit`` messages, newest first."""
    if not os.path.isdir(folder):
        return []
    names = sorted((n for n in os.listdir(folder) if NAME.match(n)), reverse=True)[:limit]
    entries = []
    for name in names:
        message = read_sink(folder, name)
        if message is not None:
            entries.append(
                SinkEntry(
                    name,
                    str(message["Subject"] or ""),
                    str(message["To"] or ""),
                    str(message["Date"] or ""),
                )
            )
    return entries


def read_sink(folder: str, name: str) -> EmailMessage | None:
    """The message stored as ``name``; None for names that are not sink files."""
    if not NAME.match(name):
        return None
    try:
        with open(os.path.join(folder, name), "rb") as handle:
            return BytesParser(policy=policy.default).parse(handle)
    except FileNotFoundError:
        return None


def body_of(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    return part.get_content() if part is not None else ""
