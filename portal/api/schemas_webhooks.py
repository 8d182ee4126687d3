"""The typed shapes of the webhook subscriptions API (``portal.api.views_webhooks``): what
comes in (strict: no unknown members, no coerced types) and what goes out."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, StrictBool, StrictStr

from models import DeliveryState, WebhookEvent
from models.webhook import URL_LENGTH
from portal.api.schemas import Input, Output, Storable

Url = Annotated[StrictStr, Field(min_length=1, max_length=URL_LENGTH), Storable()]
Events = Annotated[list[WebhookEvent], Field(min_length=1, max_length=len(WebhookEvent))]


class WebhookCreate(Input):
    url: Url = Field(description="Where to POST events: an https:// address.")
    events: Events = Field(description='The events to send, e.g. ["rma.submitted"].')


class WebhookChange(Input):
    url: Url | None = Field(None, description="A new address.")
    events: Events | None = Field(None, description="The events to send from now on.")
    active: StrictBool | None = Field(
        None, description="false disables it (waiting deliveries wait); true enables it."
    )


class WebhookOut(Output):
    id: int
    url: str
    events: list[WebhookEvent]
    active: bool
    disabled_reason: str = Field(description="Why it is off; empty while active.")
    created_by: int | None = Field(description="The user who made it; null if none.")
    created_at: datetime


class WebhookWithSecret(WebhookOut):
    secret: str = Field(description="The signing secret (whsec_…), shown this once.")


class WebhookPage(Output):
    items: list[WebhookOut]
    next: str | None


class WebhookSecret(Output):
    secret: str = Field(description="The new signing secret (whsec_…), shown this once.")


class DeliveryOut(Output):
    id: int
    event_id: str = Field(description="The webhook-id header: the same on every attempt.")
    event_type: WebhookEvent
    state: DeliveryState
    attempts: int
    last_status_code: int | None
    last_response: str = Field(description="The start of the last answer, or the error.")
    created_at: datetime
    last_attempt_at: datetime | None
    next_attempt_at: datetime
    delivered_at: datetime | None


class DeliveryPage(Output):
    items: list[DeliveryOut]
    next: str | None
