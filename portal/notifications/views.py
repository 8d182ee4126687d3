"""In-app notifications: the list, marking read, and the unread count in the header."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, request, url_for
from flask_login import current_user

from models import Role
from models.base import utcnow
from portal.auth.access import restrict_blueprint
from portal.db import get_session
from portal.extensions import htmx
from portal.notifications import operations
from portal.notifications.emails import title_for
from portal.notifications.forms import ConfirmForm, ListForm
from portal.notifications.queries import load_notification, notifications_page, unread_count
from portal.web import carried_query, render

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


def _list(status: int = 200):
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
    response = render(
        "notifications/list.html",
        fragment="notifications/_list.html",
        page=page,
        form=form,
        unread_only=unread_only,
        confirm=ConfirmForm(),
    )
    response.status_code = status
    return response


@bp.route("/")
def index():
    return _list()


def _confirmed() -> None:
    if not ConfirmForm().validate_on_submit():
        abort(400)


@bp.route("/<id:notification_id>/open", methods=["POST"])
def open_notification(notification_id: int):
    """Mark one notification read and go to what it is about."""
    _confirmed()
    session = get_session()
    notification = load_notification(session, current_user, notification_id)
    operations.mark_read(session, current_user, [notification.id], utcnow())
    number = (notification.payload or {}).get("rma_number")
    session.commit()
    target = url_for("rmas.detail", number=number) if number else url_for(".index")
    return redirect(target, 303)


@bp.route("/<id:notification_id>/read", methods=["POST"])
def mark_read(notification_id: int):
    _confirmed()
    session = get_session()
    notification = load_notification(session, current_user, notification_id)
    operations.mark_read(session, current_user, [notification.id], utcnow())
    session.commit()
    return _after_change()


@bp.route("/read-all", methods=["POST"])
def mark_all_read():
    _confirmed()
    session = get_session()
    operations.mark_all_read(session, current_user, utcnow())
    session.commit()
    return _after_change()


def _after_change():
    if htmx:
        return _list()
    return redirect(url_for(".index", **carried_query()), 303)
