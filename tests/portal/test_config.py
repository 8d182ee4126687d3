"""Configuration: production unless told otherwise, and production refuses to start on any
development default, naming every setting to fix."""

import os
import subprocess
import sys

import pytest

from portal import ROOT, create_app
from portal.config import DEV_SECRET_KEY, ConfigurationError

PRODUCTION = {
    "ROTAFLOW_SECRET_KEY": "a-long-random-production-secret-0123456789",
    "ROTAFLOW_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/rotaflow",
    "ROTAFLOW_MAIL_SERVER": "smtp.example.com",
    "ROTAFLOW_BASE_URL": "https://returns.example.com",
}


@pytest.fixture
def bare_environment(monkeypatch, tmp_path):
    """No ROTAFLOW_* variable at all (the suite sets ROTAFLOW_ENV=testing for itself), and
    an instance folder of the test's own."""
    for name in [name for name in os.environ if name.startswith("ROTAFLOW_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("ROTAFLOW_INSTANCE_PATH", str(tmp_path))
    return monkeypatch


@pytest.fixture
def production(bare_environment):
    """A complete production environment; tests take settings out of it."""
    for name, value in PRODUCTION.items():
        bare_environment.setenv(name, value)
    return bare_environment


def refusal(**overrides) -> str:
    with pytest.raises(ConfigurationError) as refused:
        create_app(overrides or None)
    return str(refused.value)


def test_without_any_setting_it_refuses_naming_everything_missing(bare_environment, tmp_path):
    message = refusal()
    assert "refuses to start in production" in message
    for name in ("SECRET_KEY", "DATABASE_URL", "MAIL_SERVER", "BASE_URL"):
        assert f"ROTAFLOW_{name} is not set" in message
    assert not (tmp_path / "rotaflow.sqlite3").exists()  # no silent SQLite


def test_a_complete_production_environment_starts_secure(production):
    app = create_app()
    assert app.config["ENV"] == "production"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert not any(rule.rule.startswith("/dev/") for rule in app.url_map.iter_rules())
    response = app.test_client().get("/dev/mail/", base_url="https://returns.example.com")
    assert response.status_code == 404


def test_production_is_also_what_an_explicit_setting_gives(production):
    production.setenv("ROTAFLOW_ENV", " Production ")
    assert create_app().config["ENV"] == "production"


@pytest.mark.parametrize(
    ("secret", "complaint"),
    [
        (DEV_SECRET_KEY, "ROTAFLOW_SECRET_KEY is the public development key"),
        ("x" * 31, "ROTAFLOW_SECRET_KEY is shorter than 32 bytes"),
        ("", "ROTAFLOW_SECRET_KEY is not set"),
    ],
)
def test_a_weak_secret_key_is_refused(production, secret, complaint):
    production.setenv("ROTAFLOW_SECRET_KEY", secret)
    message = refusal()
    assert complaint in message
    assert "DATABASE_URL" not in message  # only what is wrong is named


def test_a_secret_of_32_bytes_is_enough(production):
    production.setenv("ROTAFLOW_SECRET_KEY", "é" * 16)  # 16 characters, 32 bytes
    assert create_app().config["SECRET_KEY"] == "é" * 16


def test_the_mail_sink_is_refused_in_production(production):
    production.setenv("ROTAFLOW_MAIL_TRANSPORT", "sink")
    assert "ROTAFLOW_MAIL_TRANSPORT is sink" in refusal()


def test_links_in_e_mail_need_the_public_address(production):
    production.setenv("ROTAFLOW_BASE_URL", "http://127.0.0.1:5000")
    assert "ROTAFLOW_BASE_URL is not set" in refusal()


def test_overrides_are_held_to_the_same_rules(production):
    assert "ROTAFLOW_SECRET_KEY is the public development key" in refusal(SECRET_KEY=DEV_SECRET_KEY)


@pytest.mark.parametrize("env", ["prod", "staging", "dev", ""])
def test_an_unknown_environment_is_refused(production, env):
    production.setenv("ROTAFLOW_ENV", env)
    assert "ROTAFLOW_ENV must be production, development or testing" in refusal()


def test_an_unknown_mail_transport_is_refused(production):
    production.setenv("ROTAFLOW_MAIL_TRANSPORT", "pigeon")
    assert "ROTAFLOW_MAIL_TRANSPORT must be smtp or sink" in refusal()


def test_development_must_be_asked_for_and_then_allows_its_defaults(bare_environment, tmp_path):
    bare_environment.setenv("ROTAFLOW_ENV", "development")
    app = create_app()
    assert app.config["SECRET_KEY"] == DEV_SECRET_KEY
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path}/rotaflow.sqlite3"
    assert app.config["MAIL_SERVER"] == "localhost"
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert any(rule.rule.startswith("/dev/mail") for rule in app.url_map.iter_rules())


def test_environment_variables_configure_the_app(production):
    production.setenv("ROTAFLOW_MAIL_PORT", "2525")
    production.setenv("ROTAFLOW_MAIL_USE_TLS", "true")
    app = create_app()
    assert app.config["DATABASE_URL"] == PRODUCTION["ROTAFLOW_DATABASE_URL"]
    assert app.config["MAIL_PORT"] == 2525
    assert app.config["MAIL_USE_TLS"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


@pytest.mark.parametrize(
    ("name", "value", "complaint"),
    [
        ("ROTAFLOW_DIGEST_WEEKDAY", "0", "DIGEST_WEEKDAY must be 1 (Monday) to 7 (Sunday)"),
        ("ROTAFLOW_DIGEST_WEEKDAY", "8", "DIGEST_WEEKDAY must be 1 (Monday) to 7 (Sunday)"),
        ("ROTAFLOW_DIGEST_HOUR", "24", "DIGEST_HOUR must be 0 to 23"),
        ("ROTAFLOW_DIGEST_HOUR", "-1", "DIGEST_HOUR must be 0 to 23"),
    ],
)
def test_the_digest_schedule_is_held_to_a_day_and_an_hour(production, name, value, complaint):
    production.setenv(name, value)
    assert complaint in refusal()


def test_the_digest_schedule_comes_from_the_environment(production):
    production.setenv("ROTAFLOW_DIGEST_WEEKDAY", "5")
    production.setenv("ROTAFLOW_DIGEST_HOUR", "0")
    production.setenv("ROTAFLOW_DIGEST_ENABLED", "false")
    app = create_app()
    assert (app.config["DIGEST_WEEKDAY"], app.config["DIGEST_HOUR"]) == (5, 0)
    assert app.config["DIGEST_ENABLED"] is False


def test_a_bad_number_in_the_environment_is_reported(monkeypatch):
    monkeypatch.setenv("ROTAFLOW_MAIL_PORT", "twenty-five")
    with pytest.raises(ConfigurationError, match="ROTAFLOW_MAIL_PORT"):
        create_app()


def test_the_factory_does_not_touch_the_database(production, tmp_path):
    create_app()  # would raise if it connected to the unreachable database
    assert not (tmp_path / "rotaflow.sqlite3").exists()


def test_the_command_line_says_why_it_refuses_without_a_traceback(bare_environment, tmp_path):
    started = subprocess.run(
        [sys.executable, "-c", "from portal.cli import main; main()", "db", "current"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": ROOT},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert started.returncode == 1
    assert started.stderr.startswith("Error: Rotaflow refuses to start in production")
    assert "ROTAFLOW_SECRET_KEY is not set" in started.stderr
    assert "Traceback" not in started.stderr and "Usage:" not in started.stderr
