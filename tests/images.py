"""Real image bytes for upload tests, made with Pillow, and PNGs that only claim a size."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image


def image_bytes(format_: str, size: tuple[int, int] = (2, 2)) -> bytes:
    """A small, valid image: ``format_`` is Pillow's name (JPEG, PNG, WEBP)."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=format_)
    return buffer.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width: int, height: int, rows: int | None = None) -> bytes:
    """A 1-bit grey PNG of ``width`` × ``height`` whose pixels are all zero: it compresses
    about a thousandfold, so a small file decodes to a huge image. ``rows`` limits how many
    rows the file really holds (fewer make a smaller, truncated file: the header still
    claims the full size, which is what an upload check must look at)."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)
    body = b"".join(compressor.compress(row) for _ in range(height if rows is None else rows))
    body += compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", body)
        + _chunk(b"IEND", b"")
    )
