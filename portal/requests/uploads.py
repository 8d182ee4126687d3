"""Photo uploads: the file type is read from the bytes, sizes and counts are limited, and
files are stored outside ``static/`` under random names.

The browser's file name and content type are never trusted: a ``.jpg`` that is really a
PDF is refused, and so is an image claiming more pixels than ``UPLOAD_MAX_PIXELS``. Files
are written before the database rows that point at them; a failed request removes what it
wrote (``discard``), so a row never points at a missing file.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO

from flask_babel import gettext as _

from models import RmaAttachment
from portal.inputs.files import (
    DEFAULT_MAX_PIXELS,
    JPEG,
    PNG,
    SNIFF_BYTES,
    WEBP,
    FileRejected,
    check_image,
    display_name,
    sniff,
)
from portal.inputs.text import column_length
from workflow_designer.engine.errors import Refusal

EXTENSIONS = {JPEG: ".jpg", PNG: ".png", WEBP: ".webp"}
TYPE_NAMES = {JPEG: "JPEG", PNG: "PNG", WEBP: "WebP"}
MAX_NAME_LENGTH = column_length(RmaAttachment.original_name)


class UploadRejected(FileRejected, Refusal):
    """A file that is refused; the message names it and says why, for the user."""


@dataclass(frozen=True)
class UploadLimits:
    max_file_bytes: int
    max_files: int
    allowed_types: frozenset[str]
    max_pixels: int = DEFAULT_MAX_PIXELS

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> UploadLimits:
        allowed = config["UPLOAD_ALLOWED_TYPES"]
        if isinstance(allowed, str):
            allowed = [t.strip() for t in allowed.split(",") if t.strip()]
        return cls(
            max_file_bytes=int(config["UPLOAD_MAX_FILE_BYTES"]),
            max_files=int(config["UPLOAD_MAX_FILES_PER_LINE"]),
            allowed_types=frozenset(t for t in allowed if t in EXTENSIONS),
            max_pixels=int(config.get("UPLOAD_MAX_PIXELS") or DEFAULT_MAX_PIXELS),
        )

    @property
    def request_bytes(self) -> int:
        """The most an upload request may carry: every file at its limit, plus the form."""
        return self.max_files * self.max_file_bytes + 64 * 1024

    @property
    def accept(self) -> str:
        """For the file input's ``accept`` attribute (a hint; the bytes decide)."""
        return ",".join(sorted(self.allowed_types))

    @property
    def type_names(self) -> str:
        return ", ".join(sorted(TYPE_NAMES[t] for t in self.allowed_types))

    @property
    def max_megabytes(self) -> str:
        return f"{self.max_file_bytes / (1024 * 1024):g} MB"


@dataclass(frozen=True)
class IncomingFile:
    """An accepted upload, in memory, not yet stored."""

    original_name: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    original_name: str
    content_type: str
    size_bytes: int


def accept_files(files: Iterable[Any], limits: UploadLimits, already: int) -> list[IncomingFile]:
    """Read and check ``files`` (werkzeug FileStorage); raise UploadRejected on the first
    problem. ``already`` is how many photos the line has: the limit counts them too."""
    files = [f for f in files if f is not None and (f.filename or "").strip()]
    if not files:
        raise UploadRejected(_("Choose at least one photo to upload."))
    if already + len(files) > limits.max_files:
        raise UploadRejected(
            _(
                "A line can have at most %(max)s photos; it has %(already)s and "
                "%(sent)s more were sent.",
                max=limits.max_files,
                already=already,
                sent=len(files),
            )
        )
    return [_accept_one(f.filename, f.stream, limits) for f in files]


def _accept_one(filename: str, stream: BinaryIO, limits: UploadLimits) -> IncomingFile:
    name = display_name(filename, MAX_NAME_LENGTH, fallback=_("photo"))
    data = stream.read(limits.max_file_bytes + 1)
    if not data:
        raise UploadRejected(_("%(name)s is empty.", name=name))
    if len(data) > limits.max_file_bytes:
        raise UploadRejected(
            _("%(name)s is larger than %(size)s.", name=name, size=limits.max_megabytes)
        )
    content_type = sniff(data[:SNIFF_BYTES])
    if content_type is None or content_type not in limits.allowed_types:
        raise UploadRejected(
            _(
                "%(name)s is not a %(types)s image (checked from its content, not its name).",
                name=name,
                types=limits.type_names,
            )
        )
    try:
        check_image(data, content_type, name, limits.max_pixels)
    except FileRejected as error:
        raise UploadRejected(str(error)) from None
    return IncomingFile(original_name=name, content_type=content_type, data=data)


def store(folder: str, files: Iterable[IncomingFile]) -> list[StoredFile]:
    """Write each file under a new random name; on a failure, remove what was written."""
    os.makedirs(folder, exist_ok=True)
    stored: list[StoredFile] = []
    try:
        for incoming in files:
            stored.append(_write(folder, incoming))
    except OSError:
        discard(folder, stored)
        raise
    return stored


def _write(folder: str, incoming: IncomingFile) -> StoredFile:
    name = secrets.token_hex(16) + EXTENSIONS[incoming.content_type]
    # "x": never overwrite, however unlikely a repeated random name is.
    with open(os.path.join(folder, name), "xb") as handle:
        handle.write(incoming.data)
    return StoredFile(name, incoming.original_name, incoming.content_type, len(incoming.data))


def discard(folder: str, files: Iterable[StoredFile | str]) -> None:
    """Remove stored files (after a failed request, or once their rows are deleted)."""
    for item in files:
        name = item if isinstance(item, str) else item.stored_name
        with contextlib.suppress(FileNotFoundError):
            os.remove(os.path.join(folder, os.path.basename(name)))
