"""Rotaflow's web application."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response
from werkzeug.middleware.proxy_fix import ProxyFix

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Registers the back office's workflow effect handlers (restock, credit, replacement order).
from portal import effects as _effects  # noqa: E402, F401


class Portal(Flask):
    """Flask with one commit per request: after the view returns, while its errors can
    still be answered by the error handlers (``portal.db.finish_request``)."""

    def dispatch_request(self) -> Response:
        from portal.db import finish_request

        response = self.make_response(super().dispatch_request())
        finish_request(response)
        return response


def create_app(config: Mapping[str, Any] | None = None, *, db_bind: Any = None) -> Flask:
    """Build the app. It only wires: no queries, migrations or table creation happen here.

    ``config`` overrides environment configuration; ``db_bind`` (an Engine or Connection)
    replaces the configured database, which is how the test suite isolates each test.
    """
    app = _bare_app()
    from portal import config as configuration

    configuration.load_config(app, config)

    from portal import db, i18n, logs, security, timing, web
    from portal.api import auth as api_auth
    from portal.auth import throttle
    from portal.extensions import csrf, htmx, login_manager
    from portal.inputs import converters, numbers, text

    logs.init_app(app)  # first: the request id exists before other hooks can log
    _trust_proxies(app)
    timing.init_app(app)
    text.init_app(app)  # before the CSRF check reads the form
    db.init_app(app, bind=db_bind)
    csrf.init_app(app)
    htmx.init_app(app)
    login_manager.init_app(app)
    throttle.init_app(app)
    api_auth.init_app(app)
    security.init_app(app)
    i18n.init_app(app)
    web.init_app(app)
    converters.init_app(app)  # before the blueprints: their rules name the converters
    numbers.init_app(app)
    _register_blueprints(app)
    return app


def check_config() -> None:
    """Raise the ConfigurationError that ``create_app()`` would, without building the app:
    gunicorn's master checks once before it starts workers that would each fail alike."""
    from portal import config as configuration

    configuration.load_config(_bare_app())


def _bare_app() -> Portal:
    return Portal(
        __name__,
        template_folder=os.path.join(ROOT, "templates"),
        instance_path=os.environ.get("ROTAFLOW_INSTANCE_PATH") or os.path.join(ROOT, "instance"),
    )


def _trust_proxies(app: Flask) -> None:
    """Behind PROXY_FIX proxies, take the client's address and scheme from X-Forwarded-*.

    Host and prefix stay the request's own: proxies pass Host through, and trusting a
    forwarded host that a proxy does not set would let clients choose it.
    """
    proxies = int(app.config["PROXY_FIX"])
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)


def _register_blueprints(app: Flask) -> None:
    from portal.admin.views import bp as admin
    from portal.analytics.views import bp as analytics
    from portal.api.docs_views import bp as api_docs
    from portal.api.token_views import bp as api_tokens
    from portal.api.views import bp as api
    from portal.approvals.views import bp as approvals
    from portal.assistant.views import bp as assistant
    from portal.auth.profile_views import bp as profile
    from portal.auth.views import bp as auth
    from portal.credits.views import bp as credits
    from portal.designer.views import bp as designer
    from portal.health.views import bp as health
    from portal.notifications.outbox_views import bp as outbox
    from portal.notifications.views import bp as notifications
    from portal.reps.views import bp as reps
    from portal.requests.views import bp as requests
    from portal.retailer.views import bp as retailer
    from portal.rmas.views import bp as rmas
    from portal.warehouse.views import bp as warehouse
    from portal.warehouse.views import held_bp as held
    from portal.webhooks.views import bp as webhooks

    app.register_blueprint(health)
    app.register_blueprint(auth)
    app.register_blueprint(profile, url_prefix="/me")
    app.register_blueprint(api_tokens, url_prefix="/me/api-tokens")
    app.register_blueprint(retailer, url_prefix="/account")
    app.register_blueprint(reps, url_prefix="/rep")
    app.register_blueprint(requests, url_prefix="/requests")
    app.register_blueprint(assistant, url_prefix="/assistant")
    app.register_blueprint(warehouse, url_prefix="/warehouse")
    app.register_blueprint(held, url_prefix="/held-apart")
    app.register_blueprint(admin, url_prefix="/admin")
    app.register_blueprint(credits, url_prefix="/credits")
    app.register_blueprint(rmas, url_prefix="/rmas")
    app.register_blueprint(notifications, url_prefix="/notifications")
    app.register_blueprint(outbox, url_prefix="/admin/outbox")
    app.register_blueprint(webhooks, url_prefix="/admin/webhooks")
    if app.config["ENV"] in ("development", "testing"):
        from portal.notifications.sink_views import bp as mail_sink

        app.register_blueprint(mail_sink, url_prefix="/dev/mail")
    app.register_blueprint(approvals, url_prefix="/approvals")
    app.register_blueprint(designer, url_prefix="/designer")
    app.register_blueprint(analytics, url_prefix="/analytics")
    app.register_blueprint(api, url_prefix="/api/v1")
    app.register_blueprint(api_docs, url_prefix="/api")
