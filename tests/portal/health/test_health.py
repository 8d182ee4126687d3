"""``GET /healthz``: open to anyone, no cookie, 200 with the database, 503 without."""

from __future__ import annotations

from portal import create_app
from tests.support import TEST_CONFIG

UNREACHABLE = "postgresql+psycopg://nobody@127.0.0.1:1/rotaflow"


def test_the_health_check_answers_ok_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_the_health_check_answers_503_when_the_database_does_not():
    app = create_app({**TEST_CONFIG, "DATABASE_URL": UNREACHABLE})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "unreachable"}
    assert "Set-Cookie" not in response.headers
