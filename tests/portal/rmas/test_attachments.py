"""Photos are served through the RMA's scope, from outside static/, with safe headers."""

from __future__ import annotations

import pytest

from models import RmaAttachment
from tests.world import add_rma

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def uploads(app, tmp_path):
    app.config["UPLOAD_FOLDER"] = str(tmp_path)
    return tmp_path


def fetch(client, url):
    """GET ``url`` and close the response (files are streamed; unclosed ones warn)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


def attach(session, rma, folder, stored_name, content=PNG, content_type="image/png", **fields):
    (folder / stored_name).write_bytes(content)
    attachment = RmaAttachment(
        rma_id=rma.id,
        stored_name=stored_name,
        original_name=fields.pop("original_name", "hinge.png"),
        content_type=content_type,
        size_bytes=len(content),
        **fields,
    )
    session.add(attachment)
    session.flush()
    return attachment


def test_a_photo_is_served_inline_with_its_type(client, db_session, login_as, world, uploads):
    rma = add_rma(db_session, world)
    photo = attach(db_session, rma, uploads, "a1b2c3.png")
    login_as(world.retailer)
    page = client.get(f"/rmas/{rma.number}").get_data(as_text=True)
    url = f"/rmas/{rma.number}/attachments/{photo.id}"
    assert f'<img src="{url}" alt="hinge.png"' in page
    response = fetch(client, url)
    assert response.status_code == 200
    assert response.data == PNG
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["Content-Disposition"] == 'inline; filename="hinge.png"'
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "private" in response.headers["Cache-Control"]


def test_other_files_are_downloads(client, db_session, login_as, world, uploads):
    rma = add_rma(db_session, world)
    document = attach(
        db_session,
        rma,
        uploads,
        "d4e5f6.svg",
        content=b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        content_type="image/svg+xml",
        original_name="drawing.svg",
    )
    login_as(world.rep)
    response = fetch(client, f"/rmas/{rma.number}/attachments/{document.id}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("who", ["other_retailer", "other_rep"])
def test_out_of_scope_photos_are_404(client, db_session, login_as, world, uploads, who):
    rma = add_rma(db_session, world)
    photo = attach(db_session, rma, uploads, "0a0b0c.png")
    login_as(world.person(who))
    assert client.get(f"/rmas/{rma.number}/attachments/{photo.id}").status_code == 404


def test_a_photo_is_only_served_under_its_own_rma(client, db_session, login_as, world, uploads):
    mine = add_rma(db_session, world)
    other = add_rma(db_session, world)
    photo = attach(db_session, other, uploads, "1a1b1c.png")
    login_as(world.retailer)
    assert client.get(f"/rmas/{mine.number}/attachments/{photo.id}").status_code == 404
    assert fetch(client, f"/rmas/{other.number}/attachments/{photo.id}").status_code == 200


def test_a_missing_file_is_404(client, db_session, login_as, world, uploads):
    rma = add_rma(db_session, world)
    photo = attach(db_session, rma, uploads, "2a2b2c.png")
    (uploads / "2a2b2c.png").unlink()
    login_as(world.retailer)
    assert client.get(f"/rmas/{rma.number}/attachments/{photo.id}").status_code == 404


def test_a_stored_name_cannot_reach_outside_the_folder(
    client, db_session, login_as, world, uploads
):
    rma = add_rma(db_session, world)
    (uploads.parent / "secret.txt").write_text("secret")
    sneaky = RmaAttachment(
        rma_id=rma.id,
        stored_name="../secret.txt",
        original_name="x.png",
        content_type="image/png",
        size_bytes=6,
    )
    db_session.add(sneaky)
    db_session.flush()
    login_as(world.retailer)
    assert client.get(f"/rmas/{rma.number}/attachments/{sneaky.id}").status_code == 404
