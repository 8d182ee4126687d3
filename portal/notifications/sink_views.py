"""The development mail sink, for admins: what the worker would have sent, readable in the
browser. Registered only when ENV is development or testing (see portal/__init__.py)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, make_response, render_template

from models import Role
from portal.auth.access import restrict_blueprint
from portal.notifications.sink import body_of, list_sink, read_sink, sink_folder

bp = Blueprint("mail_sink", __name__)
restrict_blueprint(bp, Role.ADMIN)

# The HTML part is someone's e-mail: shown in a sandbox, with no script and nothing loaded
# from elsewhere; inline styles are how e-mail is styled.
HTML_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@bp.app_context_processor
def _enabled():
    return {"mail_sink_enabled": True}


def _folder() -> str:
    return sink_folder(current_app.instance_path)


def _message(name: str):
    message = read_sink(_folder(), name)
    if message is None:
        abort(404)
    return message


@bp.route("/")
def index():
    return render_template("notifications/sink.html", entries=list_sink(_folder()))


@bp.route("/<name>")
def show(name: str):
    message = _message(name)
    return render_template(
        "notifications/sink_message.html",
        name=name,
        message=message,
        text=body_of(message, "plain"),
        has_html=bool(body_of(message, "html")),
    )


@bp.route("/<name>/html")
def show_html(name: str):
    response = make_response(body_of(_message(name), "html"))
    response.headers["Content-Type"] = "text/html; charset=utf-8"
    response.headers["Content-Security-Policy"] = HTML_POLICY
    return response
