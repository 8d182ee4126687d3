"""Uploaded files: the type from the bytes, images decoded far enough to know their pixel
dimensions (decompression bombs refused), the user's file name made safe to store and show,
and a ``Content-Disposition`` that no file name can break.

The browser's file name and content type are never trusted, and never used to store a file:
stored names are generated (see ``portal.requests.uploads``).
"""

from __future__ import annotations

import io
import unicodedata
import warnings
from urllib.parse import quote

from flask_babel import format_decimal
from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError

from portal.inputs.text import without_control

JPEG = "image/jpeg"
PNG = "image/png"
WEBP = "image/webp"
# What Pillow calls each accepted type: a PNG header on a JPEG body is refused.
PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}
SNIFF_BYTES = 16
# 50 megapixels: the largest phone camera photos, and 150 MB once decoded. A 10 MB PNG
# can claim billions of pixels; those are refused from the header, before any decoding.
DEFAULT_MAX_PIXELS = 50_000_000


class FileRejected(ValueError):
    """A file that is refused; the message says why, for the user."""


def sniff(head: bytes) -> str | None:
    """The content type the first bytes of a file announce, or None if not a known image.

    Three signatures are a few lines; a library (python-magic needs libmagic,
    filetype/puremagic know hundreds of formats) would not earn its place.
    """
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None


def check_image(data: bytes, content_type: str, name: str, max_pixels: int) -> None:
    """Raise FileRejected unless ``data`` is a readable image of ``content_type`` with at
    most ``max_pixels`` pixels. Only the header and structure are read, never the pixels."""
    try:
        with warnings.catch_warnings():
            # Pillow warns above its own limit and raises above twice that; ours is lower.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[PILLOW_FORMATS[content_type]]) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise FileRejected(_too_many_pixels(name, width, height, max_pixels))
                image.verify()
    except FileRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise FileRejected(_too_many_pixels(name, None, None, max_pixels)) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise FileRejected(_("%(name)s is damaged or not really an image.", name=name)) from None


def _too_many_pixels(name: str, width: int | None, height: int | None, limit: int) -> str:
    megapixels = format_decimal(limit / 1_000_000)
    if width and height:
        return _(
            "%(name)s is too large an image (%(width)s × %(height)s pixels): at most "
            "%(megapixels)s megapixels. Send a smaller photo.",
            name=name,
            width=width,
            height=height,
            megapixels=megapixels,
        )
    return _(
        "%(name)s is too large an image: at most %(megapixels)s megapixels. Send a smaller photo.",
        name=name,
        megapixels=megapixels,
    )


def display_name(filename: str | None, max_length: int, fallback: str = "file") -> str:
    """A user's file name made safe to store and show: NFC, no folders, no control
    characters, at most ``max_length`` characters (the extension kept when it is cut)."""
    name = unicodedata.normalize("NFC", filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = " ".join(without_control(name).split())
    if len(name) > max_length:
        _stem, dot, extension = name.rpartition(".")
        keep = dot + extension if dot and len(extension) <= 10 else ""
        name = name[: max_length - len(keep)].rstrip() + keep
    return name or fallback


def content_disposition(filename: str, inline: bool = False) -> str:
    """A ``Content-Disposition`` value (RFC 6266) for ``filename``, whatever it contains.

    An ASCII ``filename`` for old clients, without quotes, backslashes or control
    characters; the exact name in ``filename*`` (RFC 8187, percent-encoded UTF-8).
    """
    name = display_name(filename, 255, fallback="download")
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    ascii_name = "".join("_" if c in '"\\%' else c for c in ascii_name).strip() or "download"
    value = f'{"inline" if inline else "attachment"}; filename="{ascii_name}"'
    if ascii_name != name:
        value += f"; filename*=UTF-8''{quote(name, safe='')}"
    return value
