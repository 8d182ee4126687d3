"""The development mail sink page: admins read what the worker wrote to instance/mail/."""

from __future__ import annotations

import re

import pytest

from portal import create_app
from portal.notifications.emails import build_message, render_email
from portal.notifications.sink import SinkTransport, sink_folder
from portal.notifications.sink_views import HTML_POLICY
from tests.support import PRODUCTION_CONFIG


@pytest.fixture
def sink(app, tmp_path):
    app.instance_path = str(tmp_path)
    folder = sink_folder(app.instance_path)
    with app.app_context():
        rendered = render_email(
            "rma_authorized",
            {"rma_number": "RMA-2026-000777", "state_label": "Authorized", "account_name": "Optik"},
            "Olga",
        )
    SinkTransport(folder).send(
        build_message(rendered, sender="returns@example.com", to="olga@example.com")
    )
    return folder


def test_admins_read_the_sink(client, login_as, world, sink):
    login_as(world.admin)
    listing = client.get("/dev/mail/").get_data(as_text=True)
    assert "RMA-2026-000777 is authorized" in listing and "olga@example.com" in listing
    name = re.search(r'href="/dev/mail/([^"/]+\.eml)"', listing).group(1)
    message = client.get(f"/dev/mail/{name}").get_data(as_text=True)
    assert "Hello Olga," in message
    assert "http://127.0.0.1:5000/rmas/RMA-2026-000777" in message
    html = client.get(f"/dev/mail/{name}/html")
    assert html.headers["Content-Security-Policy"] == HTML_POLICY
    assert "<!doctype html>" in html.get_data(as_text=True)
    nav = client.get("/admin/outbox/").get_data(as_text=True)
    assert 'href="/dev/mail/"' in nav


@pytest.mark.parametrize(
    "name", ["../rotaflow.sqlite3", "x.eml", "20260101T000000000000-zzzzzzzz.eml"]
)
def test_only_sink_files_can_be_read(client, login_as, world, sink, name):
    login_as(world.admin)
    assert client.get(f"/dev/mail/{name}").status_code == 404


@pytest.mark.parametrize("who", ["retailer", "rep", "warehouse"])
def test_only_admins_read_the_sink(client, login_as, world, sink, who):
    login_as(world.person(who))
    assert client.get("/dev/mail/").status_code == 403


def test_production_has_no_sink_page(connection):
    app = create_app(PRODUCTION_CONFIG, db_bind=connection)
    assert "mail_sink.index" not in app.view_functions
    assert app.test_client().get("/dev/mail/").status_code == 404
