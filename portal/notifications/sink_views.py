"""The development mail sink, for admins: what the worker would have sent, readable in the
browser. Registered only when ENV is development or testing (see portal/__init__.py)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, make_response
from flask.typing import ResponseReturnValue

from models import Role
from portal.auth.access import restrict_blueprint
from portal.notifications.sink import body_of, list_sink, read_sink, sink_folder
from portal.web import render

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


def index() -> ResponseReturnValue:
    return render("notifications/sink.html", entries=list_sink(_folder()))


def show(name: str) -> ResponseReturnValue:
    message = _message(name)
    return render(
        "notifications/sink_message.html",
        name=name,
        message=message,
        text=body_of(message, "plain"),
        has_html=bool(body_of(message, "html")),
    )


def show_html(name: str) -> ResponseReturnValue:
    response = make_response(body_of(_message(name), "html"))
    response.headers["Content-Type"] = "text/html; charset=utf-8"
    response.headers["Content-Security-Policy"] = HTML_POLICY
    return response


# The URL table: every route of the area, its endpoint name and its methods.
bp.add_url_rule("/", "index", index, methods=["GET"])
bp.add_url_rule("/<name>", "show", show, methods=["GET"])
bp.add_url_rule("/<name>/html", "show_html", show_html, methods=["GET"])
