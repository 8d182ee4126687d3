"""Photo uploads: the type is read from the bytes, sizes and counts are limited, files are
stored outside static/ under random names, and refusals leave nothing behind."""

from __future__ import annotations

import io
import os
import re

import pytest
from sqlalchemy import select

from models import RmaAttachment
from portal import create_app
from portal.requests.uploads import UploadLimits, sniff
from tests.images import image_bytes, png_bomb
from tests.portal.requests.helpers import (
    add,
    draft_page,
    findings,
    line_ids,
    return_type,
    start,
)
from tests.support import TEST_CONFIG, rule

JPEG = image_bytes("JPEG")
PNG = image_bytes("PNG")
WEBP = image_bytes("WEBP")
PDF = b"%PDF-1.7\n" + b"\x00" * 200


@pytest.fixture
def app(connection, upload_folder):
    """Small limits, so that "too big" and "too many" are cheap to send."""
    config = {
        **TEST_CONFIG,
        "UPLOAD_FOLDER": str(upload_folder),
        "UPLOAD_MAX_FILE_BYTES": 1000,
        "UPLOAD_MAX_FILES_PER_LINE": 3,
    }
    return create_app(config, db_bind=connection)


@pytest.fixture
def line(client, db_session, login_as, world):
    """(draft number, line id) of a defective-goods draft needing photos."""
    rtype = return_type(
        db_session,
        world,
        {"evidence": rule(photos=True, description=False)},
        requires_photos=True,
        reasons=["Broken hinge"],
    )
    login_as(world.retailer)
    number = start(client, rtype)
    add(client, number, {world.lines["velo"].id: 1})
    (line_id,) = line_ids(draft_page(client, number))
    return number, line_id


def upload(client, number, line_id, *files, htmx=True):
    data = {"photos": [(io.BytesIO(content), name) for name, content in files]}
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        f"/requests/{number}/lines/{line_id}/photos",
        data=data,
        content_type="multipart/form-data",
        headers=headers,
    )


def stored(session) -> list[RmaAttachment]:
    return list(session.scalars(select(RmaAttachment).order_by(RmaAttachment.id)))


@pytest.mark.parametrize(
    ("content", "expected"),
    [(JPEG, "image/jpeg"), (PNG, "image/png"), (WEBP, "image/webp"), (PDF, None), (b"", None)],
)
def test_sniffing_reads_the_bytes(content, expected):
    assert sniff(content[:16]) == expected


def test_limits_come_from_the_configuration():
    limits = UploadLimits.from_config(
        {
            "UPLOAD_MAX_FILE_BYTES": 2048,
            "UPLOAD_MAX_FILES_PER_LINE": 2,
            "UPLOAD_ALLOWED_TYPES": "image/png, image/gif",
        }
    )
    assert limits.allowed_types == frozenset({"image/png"})  # only formats we can sniff
    assert limits.request_bytes == 2 * 2048 + 64 * 1024


def test_photos_are_stored_under_random_names_outside_static(
    client, db_session, world, line, upload_folder
):
    number, line_id = line
    response = upload(client, number, line_id, ("hinge.jpg", JPEG), ("box.png", PNG))
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "hinge.jpg" in body and "box.png" in body
    assert findings(body)["evidence"] is True and findings(body)["Photos"] is True
    rows = stored(db_session)
    assert [(r.original_name, r.content_type, r.size_bytes) for r in rows] == [
        ("hinge.jpg", "image/jpeg", len(JPEG)),
        ("box.png", "image/png", len(PNG)),
    ]
    assert {r.rma_line_id for r in rows} == {line_id}
    assert {r.uploaded_by_id for r in rows} == {world.retailer.id}
    for row in rows:
        assert len(row.stored_name) == 36 and "hinge" not in row.stored_name
        with open(upload_folder / row.stored_name, "rb") as handle:
            assert handle.read() in (JPEG, PNG)
    assert "static" not in str(upload_folder)
    # The draft shows them through the RMA page's scoped attachment route.
    href = f"/rmas/{number}/attachments/{rows[0].id}"
    assert href in body
    with client.get(href) as served:
        assert served.status_code == 200 and served.data == JPEG


def test_a_disguised_file_is_refused_by_its_content(client, db_session, line, upload_folder):
    number, line_id = line
    response = upload(client, number, line_id, ("photo.jpg", PDF))
    assert response.status_code == 422
    assert "photo.jpg is not a JPEG, PNG, WebP image" in response.get_data(as_text=True)
    assert stored(db_session) == []
    assert not upload_folder.exists() or os.listdir(upload_folder) == []


def test_a_file_over_the_size_limit_is_refused(client, db_session, line, upload_folder):
    number, line_id = line
    big = JPEG + b"\x00" * 1000
    response = upload(client, number, line_id, ("ok.png", PNG), ("big.jpg", big))
    assert response.status_code == 422
    assert "big.jpg is larger than" in response.get_data(as_text=True)
    assert stored(db_session) == []  # the good file of the same post is not kept either
    assert not upload_folder.exists() or os.listdir(upload_folder) == []


def test_too_many_photos_are_refused(client, db_session, line, upload_folder):
    number, line_id = line
    files = [(f"p{n}.jpg", JPEG) for n in range(4)]
    response = upload(client, number, line_id, *files)
    assert response.status_code == 422
    assert "at most 3 photos" in response.get_data(as_text=True)
    assert upload(client, number, line_id, *files[:2]).status_code == 200
    response = upload(client, number, line_id, *files[:2])
    assert response.status_code == 422
    assert "it has 2 and 2 more were sent" in response.get_data(as_text=True)
    assert len(stored(db_session)) == 2 and len(os.listdir(upload_folder)) == 2


def test_a_request_over_the_upload_limit_is_answered_in_the_photo_cell(client, db_session, line):
    number, line_id = line
    huge = JPEG + b"\x00" * (70 * 1024)  # beyond 3 × 1000 bytes + 64 KiB for the request
    response = upload(client, number, line_id, ("huge.jpg", huge))
    assert response.status_code == 413
    assert "That upload is too large" in response.get_data(as_text=True)
    assert f'id="line-{line_id}-photos"' in response.get_data(as_text=True)
    assert stored(db_session) == []


def test_no_file_chosen_is_explained(client, db_session, line):
    number, line_id = line
    response = client.post(
        f"/requests/{number}/lines/{line_id}/photos", data={}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 422
    assert "Choose at least one photo" in response.get_data(as_text=True)


def test_removing_a_photo_deletes_its_file(client, db_session, line, upload_folder):
    number, line_id = line
    upload(client, number, line_id, ("a.jpg", JPEG))
    (photo,) = stored(db_session)
    response = client.post(
        f"/requests/{number}/photos/{photo.id}/delete", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert stored(db_session) == [] and os.listdir(upload_folder) == []


def test_removing_a_line_deletes_its_photos(client, db_session, line, upload_folder):
    number, line_id = line
    upload(client, number, line_id, ("a.jpg", JPEG), ("b.webp", WEBP))
    assert len(os.listdir(upload_folder)) == 2
    assert client.post(f"/requests/{number}/lines/{line_id}/delete").status_code == 303
    assert stored(db_session) == [] and os.listdir(upload_folder) == []


def test_a_draft_with_photos_is_discarded_with_its_files(
    client, db_session, world, line, upload_folder
):
    number, line_id = line
    upload(client, number, line_id, ("a.jpg", JPEG))
    response = client.post(f"/requests/{number}/discard")
    assert response.status_code == 303
    assert stored(db_session) == [] and os.listdir(upload_folder) == []
    assert client.get(f"/requests/{number}").status_code == 404


def test_photos_of_another_accounts_draft_cannot_be_touched(
    client, db_session, login_as, world, line
):
    number, line_id = line
    upload(client, number, line_id, ("a.jpg", JPEG))
    (photo,) = stored(db_session)
    login_as(world.other_retailer)
    assert upload(client, number, line_id, ("b.jpg", JPEG)).status_code == 404
    assert client.post(f"/requests/{number}/photos/{photo.id}/delete").status_code == 404
    assert len(stored(db_session)) == 1


def test_with_csrf_on_an_oversized_upload_is_still_answered_in_the_cell(
    connection, db_session, world, upload_folder
):
    # The CSRF check parses the body before the view runs: the limit must already apply.
    config = {
        **TEST_CONFIG,
        "WTF_CSRF_ENABLED": True,
        "UPLOAD_FOLDER": str(upload_folder),
        "UPLOAD_MAX_FILE_BYTES": 1000,
        "UPLOAD_MAX_FILES_PER_LINE": 3,
    }
    client = create_app(config, db_bind=connection).test_client()
    rtype = return_type(db_session, world, requires_photos=True)
    with client.session_transaction() as session:
        session["_user_id"] = str(world.retailer.id)
        session["_fresh"] = True
    page = client.get("/requests/new").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post(
        "/requests/new", data={"return_type_id": str(rtype.id), "csrf_token": token}
    )
    number = response.headers["Location"].rsplit("/", 1)[-1]
    client.post(
        f"/requests/{number}/lines",
        data={f"qty-{world.lines['velo'].id}": "1", "csrf_token": token},
    )
    (line_id,) = line_ids(client.get(f"/requests/{number}").get_data(as_text=True))
    huge = JPEG + b"\x00" * (70 * 1024)
    response = client.post(
        f"/requests/{number}/lines/{line_id}/photos",
        data={"photos": [(io.BytesIO(huge), "huge.jpg")], "csrf_token": token},
        content_type="multipart/form-data",
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    assert response.status_code == 413
    assert "That upload is too large" in response.get_data(as_text=True)
    assert stored(db_session) == []
    ok = client.post(
        f"/requests/{number}/lines/{line_id}/photos",
        data={"photos": [(io.BytesIO(JPEG), "ok.jpg")], "csrf_token": token},
        content_type="multipart/form-data",
        headers={"HX-Request": "true"},
    )
    assert ok.status_code == 200 and len(stored(db_session)) == 1


def test_a_decompression_bomb_is_refused_from_its_header(client, app, db_session, line):
    """48 KB of PNG that would decode to 400 million pixels: refused without decoding."""
    app.config["UPLOAD_MAX_FILE_BYTES"] = 100_000
    number, line_id = line
    response = upload(client, number, line_id, ("bomb.png", png_bomb(20_000, 20_000)))
    assert response.status_code == 422
    assert "bomb.png is too large an image" in response.get_data(as_text=True)
    assert stored(db_session) == []


def test_an_image_over_the_pixel_limit_is_refused(client, app, db_session, line):
    app.config["UPLOAD_MAX_PIXELS"] = 10_000
    number, line_id = line
    response = upload(client, number, line_id, ("wide.png", image_bytes("PNG", (200, 51))))
    assert response.status_code == 422
    assert "wide.png is too large an image (200 × 51 pixels)" in response.get_data(as_text=True)
    assert stored(db_session) == []
    assert (
        upload(client, number, line_id, ("ok.png", image_bytes("PNG", (100, 100)))).status_code
        == 200
    )


def test_a_file_with_the_right_signature_but_no_image_is_refused(client, db_session, line):
    number, line_id = line
    response = upload(client, number, line_id, ("fake.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200))
    assert response.status_code == 422
    assert "fake.png is damaged or not really an image" in response.get_data(as_text=True)
    assert stored(db_session) == []


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("bro\x00ken\thinge.png", "bro ken hinge.png"),
        ("/home/me/hinge\x1b[31m.png", "hinge [31m.png"),
        ("x" * 400 + ".png", "x" * 251 + ".png"),
        ("\x00\x01", "photo"),
    ],
)
def test_a_file_name_with_control_characters_is_stored_cleaned(
    client, db_session, line, sent, kept
):
    number, line_id = line
    response = upload(client, number, line_id, (sent, PNG))
    assert response.status_code == 200
    (row,) = stored(db_session)
    assert row.original_name == kept
    with client.get(f"/rmas/{number}/attachments/{row.id}") as served:
        assert served.status_code == 200 and served.data == PNG
        assert "\n" not in served.headers["Content-Disposition"]


def test_a_file_name_that_breaks_the_multipart_header_stores_nothing(client, db_session, line):
    number, line_id = line
    response = upload(client, number, line_id, ("a\r\nContent-Type: text/html.png", PNG))
    assert 400 <= response.status_code < 500
    assert stored(db_session) == []
