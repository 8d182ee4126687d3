"""Webhooks, for admins: subscriptions (create, rotate the secret, enable or disable,
delete) and each one's delivery log with a redelivery button. A secret is shown once, on
the page that answers the POST that made it."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from models import Role, WebhookSubscription
from models.base import utcnow
from portal.auth.access import restrict_blueprint
from portal.db import get_session
from portal.web import page_number, render, wants_fragment
from portal.webhooks import operations, queries
from portal.webhooks.forms import STATE_LABELS, ConfirmForm, SubscriptionForm

bp = Blueprint("webhooks", __name__)
restrict_blueprint(bp, Role.ADMIN)


def _new_form(**kwargs: object) -> SubscriptionForm:
    return SubscriptionForm(operations.http_allowed(current_app.config), **kwargs)


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"  # the page may show a secret
    return response


def _index_page(form: SubscriptionForm, status: int = 200, **context: object) -> Response:
    found = queries.subscriptions(get_session())
    response = render(
        "webhooks/index.html",
        "webhooks/_index.html",
        http_status=status,
        form=form,
        subscriptions=found,
        **context,
    )
    return _no_store(response)


def index() -> ResponseReturnValue:
    return _index_page(_new_form())


def create() -> ResponseReturnValue:
    form = _new_form()
    if not form.validate_on_submit():
        return _index_page(form, 422)
    made = operations.create_subscription(
        get_session(), current_user, form.url.data or "", form.events.data or []
    )
    return _index_page(_new_form(formdata=None), 201, created=made, secret=made.secret)


def _subscription_page(
    subscription: WebhookSubscription, status: int = 200, secret: str | None = None
) -> Response:
    log = queries.delivery_log(
        get_session(), subscription, page_number(), current_app.config["PAGE_SIZE"]
    )
    response = render(
        "webhooks/subscription.html",
        "webhooks/_deliveries.html",
        http_status=status,
        subscription=subscription,
        page=log,
        confirm=ConfirmForm(),
        secret=secret,
        state_labels=STATE_LABELS,
    )
    return _no_store(response)


def subscription(subscription_id: int) -> ResponseReturnValue:
    return _subscription_page(queries.load_subscription(get_session(), subscription_id))


def _confirmed(subscription_id: int) -> WebhookSubscription:
    found = queries.load_subscription(get_session(), subscription_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return found


def rotate(subscription_id: int) -> ResponseReturnValue:
    """A new secret, shown on the page this POST answers (full page: it is shown once)."""
    found = _confirmed(subscription_id)
    secret = operations.rotate_secret(get_session(), found)
    return _subscription_page(found, secret=secret)


def set_active(subscription_id: int) -> ResponseReturnValue:
    found = _confirmed(subscription_id)
    active = request.form.get("active") == "1"
    operations.set_active(get_session(), found, active)
    flash(_("Webhook enabled.") if active else _("Webhook disabled."), "success")
    return redirect(url_for(".subscription", subscription_id=found.id), 303)


def delete(subscription_id: int) -> ResponseReturnValue:
    found = _confirmed(subscription_id)
    operations.delete_subscription(get_session(), found)
    flash(_("Webhook to %(url)s deleted.", url=found.url), "success")
    return redirect(url_for(".index"), 303)


def redeliver(subscription_id: int, delivery_id: int) -> ResponseReturnValue:
    found = _confirmed(subscription_id)
    delivery = queries.load_delivery(get_session(), found, delivery_id)
    operations.redeliver(get_session(), delivery, utcnow())
    if wants_fragment():
        return _subscription_page(found)
    flash(_("Delivery queued again."), "success")
    return redirect(url_for(".subscription", subscription_id=found.id), 303)


# The URL table: every route of the area, its endpoint name and its methods.
bp.add_url_rule("", "index", index, methods=["GET"])
bp.add_url_rule("", "create", create, methods=["POST"])
bp.add_url_rule("/<id:subscription_id>", "subscription", subscription, methods=["GET"])
bp.add_url_rule("/<id:subscription_id>/rotate", "rotate", rotate, methods=["POST"])
bp.add_url_rule("/<id:subscription_id>/active", "set_active", set_active, methods=["POST"])
bp.add_url_rule("/<id:subscription_id>/delete", "delete", delete, methods=["POST"])
bp.add_url_rule(
    "/<id:subscription_id>/deliveries/<id:delivery_id>/redeliver",
    "redeliver",
    redeliver,
    methods=["POST"],
)
