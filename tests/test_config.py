import pytest

from portal import create_app
from portal.config import DEV_SECRET_KEY, ConfigurationError


def test_production_refuses_the_default_secret_key(monkeypatch):
    monkeypatch.setenv("ROTAFLOW_ENV", "production")
    monkeypatch.delenv("ROTAFLOW_SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="ROTAFLOW_SECRET_KEY"):
        create_app()


def test_environment_variables_configure_the_app(monkeypatch, tmp_path):
    monkeypatch.setenv("ROTAFLOW_ENV", "production")
    monkeypatch.setenv("ROTAFLOW_SECRET_KEY", "x" * 40)
    monkeypatch.setenv("ROTAFLOW_DATABASE_URL", "postgresql+psycopg://db.example/rotaflow")
    monkeypatch.setenv("ROTAFLOW_MAIL_PORT", "2525")
    monkeypatch.setenv("ROTAFLOW_MAIL_USE_TLS", "true")
    app = create_app()
    assert app.config["DATABASE_URL"] == "postgresql+psycopg://db.example/rotaflow"
    assert app.config["MAIL_PORT"] == 2525
    assert app.config["MAIL_USE_TLS"] is True
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_a_bad_number_in_the_environment_is_reported(monkeypatch):
    monkeypatch.setenv("ROTAFLOW_MAIL_PORT", "twenty-five")
    with pytest.raises(ConfigurationError, match="ROTAFLOW_MAIL_PORT"):
        create_app()


def test_sqlite_in_the_instance_folder_by_default(monkeypatch, tmp_path):
    monkeypatch.delenv("ROTAFLOW_DATABASE_URL", raising=False)
    monkeypatch.setenv("ROTAFLOW_INSTANCE_PATH", str(tmp_path))
    app = create_app()
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path}/rotaflow.sqlite3"
    assert app.config["SECRET_KEY"] == DEV_SECRET_KEY
    assert app.config["SESSION_COOKIE_SECURE"] is False


def test_the_factory_does_not_touch_the_database(monkeypatch, tmp_path):
    monkeypatch.setenv("ROTAFLOW_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("ROTAFLOW_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    create_app()  # would raise if it connected
    assert not (tmp_path / "rotaflow.sqlite3").exists()
