"""File names and headers: whatever a browser sends as a file name, what is stored and sent
back is one safe line, and images are judged by their header before any pixel is decoded."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import Headers
from werkzeug.http import parse_options_header

from portal.inputs.files import (
    FileRejected,
    check_image,
    content_disposition,
    display_name,
    sniff,
)
from portal.inputs.text import unstorable
from tests.images import image_bytes, png_bomb


@given(st.text(max_size=400))
def test_a_display_name_is_one_storable_line_within_its_length(filename):
    name = display_name(filename, 255)
    assert 0 < len(name) <= 255
    assert not unstorable(name) and "/" not in name and "\\" not in name


def test_a_cut_name_keeps_its_extension():
    assert display_name("a" * 300 + ".jpeg", 20) == "a" * 15 + ".jpeg"
    assert display_name("C:/Users/me/IMG 01.png", 255) == "IMG 01.png"
    assert display_name("\x00\x1f", 255, fallback="photo") == "photo"


@given(st.text(max_size=300), st.booleans())
def test_content_disposition_is_safe_for_any_name(filename, inline):
    value = content_disposition(filename, inline=inline)
    Headers().add("Content-Disposition", value)  # raises on a line break
    assert value.isascii() and not unstorable(value)
    kind, options = parse_options_header(value)
    assert kind == ("inline" if inline else "attachment")
    expected = display_name(filename, 255, fallback="download")
    if "filename*" in options:
        assert unquote(options["filename*"].removeprefix("UTF-8''")) == expected
    else:
        assert options["filename"] == expected


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("hinge.png", 'attachment; filename="hinge.png"'),
        (
            'a";\r\nSet-Cookie: x=1.png',
            'attachment; filename="a_; Set-Cookie: x=1.png"; '
            "filename*=UTF-8''a%22%3B%20Set-Cookie%3A%20x%3D1.png",
        ),
        (
            "Brillengläser.jpg",
            "attachment; filename=\"Brillenglaser.jpg\"; filename*=UTF-8''Brillengl%C3%A4ser.jpg",
        ),
    ],
)
def test_content_disposition_examples(filename, expected):
    assert content_disposition(filename) == expected


@pytest.mark.parametrize("format_", ["JPEG", "PNG", "WEBP"])
def test_real_images_pass(format_):
    data = image_bytes(format_, (30, 20))
    content_type = sniff(data[:16])
    check_image(data, content_type, "x", max_pixels=600)
    with pytest.raises(FileRejected, match=r"30 × 20 pixels"):
        check_image(data, content_type, "x", max_pixels=599)


@pytest.mark.parametrize(
    ("data", "content_type", "message"),
    [
        (png_bomb(20_000, 20_000, rows=1), "image/png", "too large an image"),  # Pillow's limit
        (png_bomb(8_000, 8_000, rows=1), "image/png", "8000 × 8000"),  # below Pillow's, above ours
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png", "damaged"),
        (image_bytes("PNG"), "image/jpeg", "damaged"),  # not the type its signature claims
        (image_bytes("JPEG")[:40], "image/jpeg", "damaged"),
    ],
)
def test_bombs_and_broken_images_are_refused(data, content_type, message):
    with pytest.raises(FileRejected, match=message):
        check_image(data, content_type, "x.png", max_pixels=50_000_000)
