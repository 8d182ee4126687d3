"""A lost database answers 503 "try again" (never an empty 500), and the app heals by
itself once PostgreSQL is back: pooled connections are tested before use."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from models import Role, User
from portal import create_app
from portal.db import get_database, get_session, make_engine
from tests.support import POSTGRES_URL, TEST_CONFIG, sign_in

UNREACHABLE = {
    "sqlite": "sqlite:////nonexistent-folder/rotaflow.sqlite3",
    "postgresql": "postgresql+psycopg://nobody@127.0.0.1:1/rotaflow",
}
MESSAGE = "The database is not reachable right now. Nothing was saved; try again in a moment."


def test_an_unreachable_database_gives_a_503_page_to_try_again(backend):
    app = create_app({**TEST_CONFIG, "DATABASE_URL": UNREACHABLE[backend]})
    client = sign_in(app.test_client(), 1)  # loading the user is the first query
    response = client.get("/admin/users")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    page = response.get_data(as_text=True)
    assert MESSAGE in page and "<h1>503</h1>" in page
    assert response.headers["X-Request-ID"] in page  # the reference of its log lines


def test_htmx_requests_get_the_message_as_a_fragment(backend):
    app = create_app({**TEST_CONFIG, "DATABASE_URL": UNREACHABLE[backend]})
    client = sign_in(app.test_client(), 1)
    response = client.get("/admin/users", headers={"HX-Request": "true"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.get_data(as_text=True) == (
        f'<p class="flash flash-error" role="alert">{MESSAGE}</p>'
    )


@pytest.fixture
def app_on_postgres(postgres_engine):
    """Makes apps with their own pool on the test database, their connections named so
    another connection can find and terminate them; the pools are closed afterwards."""
    apps = []

    def make(application_name: str, **engine_options):
        url = make_url(POSTGRES_URL).update_query_dict({"application_name": application_name})
        config = {**TEST_CONFIG, "DATABASE_URL": url.render_as_string(hide_password=False)}
        bind = make_engine(config["DATABASE_URL"], **engine_options) if engine_options else None
        apps.append(create_app(config, db_bind=bind))
        return apps[-1]

    yield make
    for app in apps:
        get_database(app).engine.dispose()


def terminate_backends(postgres_engine, application_name: str) -> int:
    """What a PostgreSQL restart does to the app's pooled connections."""
    with postgres_engine.begin() as connection:
        return len(
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE application_name = :name"
                ),
                {"name": application_name},
            ).all()
        )


def test_the_app_heals_after_its_connections_are_killed(app_on_postgres, postgres_engine):
    name = f"rotaflow-heal-{uuid.uuid4().hex[:8]}"
    client = app_on_postgres(name).test_client()
    assert client.get("/healthz").status_code == 200
    assert terminate_backends(postgres_engine, name) == 1
    assert client.get("/healthz").status_code == 200


def test_without_the_pre_ping_the_first_request_after_a_restart_fails(
    app_on_postgres, postgres_engine
):
    """The control for the test above: it is the pre-ping that heals."""
    name = f"rotaflow-noping-{uuid.uuid4().hex[:8]}"
    client = app_on_postgres(name, pool_pre_ping=False).test_client()
    assert client.get("/healthz").status_code == 200
    assert terminate_backends(postgres_engine, name) == 1
    assert client.get("/healthz").status_code == 503


@pytest.fixture
def killed_mid_request(app_on_postgres):
    """An app whose test-only route writes, then loses its connection before committing."""
    app = app_on_postgres(f"rotaflow-kill-{uuid.uuid4().hex[:8]}")

    @app.post("/_write_then_lose_the_connection")
    def write_then_lose_the_connection():
        session = get_session()
        session.add(User(email="lost@example.com", name="Lost", role=Role.ADMIN, password_hash="x"))
        session.flush()
        session.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))
        session.commit()
        return "saved"

    return app


def test_a_connection_killed_mid_request_gives_the_503_page(killed_mid_request, postgres_engine):
    client = killed_mid_request.test_client()
    response = client.post("/_write_then_lose_the_connection")
    assert response.status_code == 503
    assert MESSAGE in response.get_data(as_text=True)
    with postgres_engine.connect() as connection:
        lost = select(func.count()).select_from(User).where(User.email == "lost@example.com")
        assert connection.scalar(lost) == 0
    assert client.get("/healthz").status_code == 200  # and the next request is served
