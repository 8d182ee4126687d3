"""Where e-mail goes: an SMTP server, or the development sink (files under instance/mail).

A transport has ``send(message)`` and ``close()``; the worker keeps one open for a pass.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from typing import Any, Protocol

from portal.notifications.sink import SinkTransport, sink_folder


class Transport(Protocol):
    def send(self, message: EmailMessage) -> None: ...

    def close(self) -> None: ...


class SmtpTransport:
    """smtplib, with STARTTLS when asked; the connection is opened on first use and reused
    until it fails (the next send reconnects)."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        username: str | None = None,
        password: str | None = None,
        use_tls: bool = False,
        timeout: float = 30,
    ) -> None:
        self.host, self.port = host, port
        self.username, self.password = username, password
        self.use_tls, self.timeout = use_tls, timeout
        self._smtp: smtplib.SMTP | None = None

    def send(self, message: EmailMessage) -> None:
        try:
            self._connection().send_message(message)
        except (smtplib.SMTPServerDisconnected, OSError):
            self.close()  # a broken connection is not reused
            raise

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            try:
                if self.use_tls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self.password or "")
            except BaseException:
                smtp.close()
                raise
            self._smtp = smtp
        return self._smtp

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()


def mail_transport_name(config: Mapping[str, Any]) -> str:
    """ "smtp" or "sink": MAIL_TRANSPORT if set, else the sink outside production."""
    chosen = (config.get("MAIL_TRANSPORT") or "").strip().lower()
    if chosen:
        return chosen
    return "sink" if config["ENV"] in ("development", "testing") else "smtp"


def transport_from_config(config: Mapping[str, Any], instance_path: str) -> Transport:
    name = mail_transport_name(config)
    if name == "sink":
        return SinkTransport(sink_folder(instance_path))
    if name == "smtp":
        return SmtpTransport(
            config["MAIL_SERVER"],
            int(config["MAIL_PORT"]),
            username=config.get("MAIL_USERNAME") or None,
            password=config.get("MAIL_PASSWORD") or None,
            use_tls=bool(config["MAIL_USE_TLS"]),
            timeout=float(config["MAIL_TIMEOUT"]),
        )
    raise ValueError(f"ROTAFLOW_MAIL_TRANSPORT must be smtp or sink, not {name!r}")
