"""The database side of the workflow actions that write, and what the back office does
whenever an RMA enters a state (the survey invitation, the webhooks): registered with the
runtime.

Imported by ``portal`` itself, so every process that can fire a trigger (web, worker,
CLI, tests) has the handlers; a fire whose effects have no handler is refused.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from models import Rma, User
from portal.credits.operations import issue_credit_memo
from portal.feedback.operations import invite_to_survey
from portal.fulfilment.operations import create_replacement_order
from portal.warehouse.operations import restock
from portal.webhooks.events import queue_credit_memo, queue_rma_transition
from workflow_designer.runtime.firing import register_effect, register_state_hook


@register_effect("restock")
def _restock(session: Session, rma: Rma, actor: User, effect: dict, compiled) -> None:
    restock(session, rma)


@register_effect("issue_credit")
def _issue_credit(session: Session, rma: Rma, actor: User, effect: dict, compiled) -> None:
    memo = issue_credit_memo(session, rma, actor)
    queue_credit_memo(session, memo, rma)


@register_effect("create_replacement_order")
def _create_replacement_order(
    session: Session, rma: Rma, actor: User, effect: dict, compiled
) -> None:
    create_replacement_order(session, rma)


@register_state_hook
def _invite_to_survey(session: Session, rma: Rma, actor: User, compiled) -> None:
    invite_to_survey(session, rma, actor, compiled)


@register_state_hook
def _queue_webhooks(session: Session, rma: Rma, actor: User, compiled) -> None:
    queue_rma_transition(session, rma)
