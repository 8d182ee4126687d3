"""Rotaflow's web application."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def create_app(config: Mapping[str, Any] | None = None, *, db_bind: Any = None) -> Flask:
    """Build the app. It only wires: no queries, migrations or table creation happen here.

    ``config`` overrides environment configuration; ``db_bind`` (an Engine or Connection)
    replaces the configured database, which is how the test suite isolates each test.
    """
    app = Flask(
        __name__,
        template_folder=os.path.join(ROOT, "templates"),
        instance_path=os.environ.get("ROTAFLOW_INSTANCE_PATH") or os.path.join(ROOT, "instance"),
    )
    from portal import config as configuration

    configuration.load_config(app, config)
    # transitions logs every callback at INFO: several lines per fired trigger.
    logging.getLogger("transitions").setLevel(logging.WARNING)

    from portal import db, security, web
    from portal.extensions import csrf, htmx, limiter, login_manager

    db.init_app(app, bind=db_bind)
    csrf.init_app(app)
    htmx.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    security.init_app(app)
    web.init_app(app)
    _register_blueprints(app)
    return app


def _register_blueprints(app: Flask) -> None:
    from portal.admin.views import bp as admin
    from portal.auth.views import bp as auth
    from portal.reps.views import bp as reps
    from portal.retailer.views import bp as retailer
    from portal.warehouse.views import bp as warehouse

    app.register_blueprint(auth)
    app.register_blueprint(retailer, url_prefix="/account")
    app.register_blueprint(reps, url_prefix="/rep")
    app.register_blueprint(warehouse, url_prefix="/warehouse")
    app.register_blueprint(admin, url_prefix="/admin")
