"""In-app notifications: the list, marking read, and the unread count in the header."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from models import Role
from models.base import utcnow
from portal.auth.access import restrict_blueprint
from portal.db import get_session
from portal.notifications import operations
from portal.notifications.emails import title_for
from portal.notifications.forms import ConfirmForm, ListForm
from portal.notifications.queries import load_notification, notifications_page, unread_count
from portal.web import carried_query, render, wants_fragment

bp = Blueprint("notifications", __name__)
restrict_blueprint(bp, *Role)


@bp.app_context_processor
def _header_count():
    # A function, so the count is only read where base.html shows it (logged in); the
    # user loader has usually read it already.
    def unread_notifications() -> int:
        if not current_user.is_authenticated:
            return 0
        return unread_count(get_session(), current_user)

    return {"unread_notifications": unread_notifications}


@bp.app_template_global()
def notification_title(notification) -> str:
    return title_for(notification.template, notification.payload or {})


def _list() -> Response:
    form = ListForm(request.args)
    valid = form.validate()
    unread_only = bool(form.unread.data) if valid else False
    page = notifications_page(
        get_session(),
        current_user,
        unread_only,
        form.page.data or 1 if valid else 1,
        current_app.config["PAGE_SIZE"],
    )
    return render(
        "notifications/list.html",
        fragment="notifications/_list.html",
        page=page,
        form=form,
        unread_only=unread_only,
        confirm=ConfirmForm(),
    )


def index() -> ResponseReturnValue:
    return _list()


def _confirmed() -> None:
    if not ConfirmForm().validate_on_submit():
        abort(400)


def open_notification(notification_id: int) -> ResponseReturnValue:
    """Mark one notification read and go to what it is about."""
    _confirmed()
    session = get_session()
    notification = load_notification(session, current_user, notification_id)
    operations.mark_read(session, current_user, [notification.id], utcnow())
    number = (notification.payload or {}).get("rma_number")
    target = url_for("rmas.detail", number=number) if number else url_for(".index")
    return redirect(target, 303)


def mark_read(notification_id: int) -> ResponseReturnValue:
    _confirmed()
    session = get_session()
    notification = load_notification(session, current_user, notification_id)
    operations.mark_read(session, current_user, [notification.id], utcnow())
    return _after_change()


def mark_all_read() -> ResponseReturnValue:
    _confirmed()
    operations.mark_all_read(get_session(), current_user, utcnow())
    return _after_change()


def _after_change() -> ResponseReturnValue:
    if wants_fragment():
        return _list()
    return redirect(url_for(".index", **carried_query()), 303)


# The URL table: every route of the area, its endpoint name and its methods.
bp.add_url_rule("/", "index", index, methods=["GET"])
bp.add_url_rule(
    "/<id:notification_id>/open", "open_notification", open_notification, methods=["POST"]
)
bp.add_url_rule("/<id:notification_id>/read", "mark_read", mark_read, methods=["POST"])
bp.add_url_rule("/read-all", "mark_all_read", mark_all_read, methods=["POST"])
