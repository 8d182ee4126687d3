"""When an RMA is resolved, the account's retailer users are invited to the survey: an
e-mail (in each recipient's language, with the survey's link) and an in-app notice, once."""

from __future__ import annotations

from email import message_from_bytes, policy

from sqlalchemy import select

from models import Channel, OutboxMessage
from portal.feedback.operations import INVITATION
from portal.notifications.worker import compose_email
from tests import shop as backoffice
from tests.factories import make_retailer, make_rma_with_lines
from tests.portal.admin.flows import resolve
from workflow_designer.runtime.firing import fire

shop = backoffice.shop
awaiting = backoffice.awaiting


def _invitations(session, rma) -> list[OutboxMessage]:
    return list(
        session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.rma_id == rma.id, OutboxMessage.template == INVITATION)
            .order_by(OutboxMessage.id)
        )
    )


def _mail(app, session, row) -> tuple[str, str]:
    with app.app_context():
        message = compose_email("Rotaflow <returns@nordwind.example.com>")(session, row)
    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    return parsed["Subject"], parsed.get_body(("plain",)).get_content()


def test_resolving_invites_each_retailer_user_once_in_their_language(
    app, db_session, shop, awaiting
):
    account, retailer = shop["account"], shop["retailer"]
    german = make_retailer(
        db_session, account, name="Greta", email="greta@example.com", locale="de"
    )
    french = make_retailer(
        db_session, account, name="Félix", email="felix@example.com", locale="fr"
    )
    make_retailer(db_session, account, name="Gone", email="gone@example.com", is_active=False)
    make_retailer(db_session, name="Elsewhere")  # another account's retailer
    assert _invitations(db_session, awaiting) == []

    resolve(db_session, awaiting, shop)  # credited: the outcome is known before it is closed
    assert awaiting.state == "credited"
    rows = _invitations(db_session, awaiting)
    emails = {row.recipient_address: row for row in rows if row.channel is Channel.EMAIL}
    assert set(emails) == {retailer.email, "greta@example.com", "felix@example.com"}
    in_app = {row.recipient_user_id for row in rows if row.channel is Channel.IN_APP}
    assert in_app == {retailer.id, german.id, french.id}

    link = f"http://127.0.0.1:5000/rmas/{awaiting.number}/feedback"
    subject, text = _mail(app, db_session, emails["greta@example.com"])
    assert subject == f"{awaiting.number}: Wie lief diese Retoure?"
    assert "Greta," in text and "Umfrage" in text and link in text
    subject, text = _mail(app, db_session, emails["felix@example.com"])
    assert subject == f"{awaiting.number} : comment s’est passé ce retour ?"
    assert "Bonjour Félix," in text and "questionnaire" in text and link in text
    subject, text = _mail(app, db_session, emails[retailer.email])
    assert subject == f"{awaiting.number}: how did this return go?"
    assert "Answer the survey: " + link in text

    # Closing the credited RMA reaches a final state: no second invitation.
    fire(db_session, awaiting, "close", shop["admin"])
    db_session.flush()
    assert awaiting.state == "closed"
    assert len(_invitations(db_session, awaiting)) == len(rows)


def _rma(db_session, shop, state: str, **fields):
    return make_rma_with_lines(
        db_session,
        shop["account"],
        shop["version"],
        [(shop["order"].lines[0], 1)],
        state=state,
        **fields,
    )


def test_a_rejected_return_is_asked_about_a_cancelled_one_is_not(db_session, shop):
    rep_review = _rma(
        db_session, shop, "rep_review", approval_step=1, approver_user_id=shop["rep"].id
    )
    fire(db_session, rep_review, "reject", shop["rep"], comment="Outside the rotation window")
    db_session.flush()
    assert rep_review.state == "rejected"
    assert len(_invitations(db_session, rep_review)) == 2  # the retailer: e-mail and notice

    authorized = _rma(db_session, shop, "authorized", return_type=rep_review.return_type)
    fire(db_session, authorized, "ship", shop["retailer"])
    db_session.flush()
    assert authorized.state == "awaiting_receipt"
    assert _invitations(db_session, authorized) == []  # moved, but not resolved

    other = _rma(db_session, shop, "authorized", return_type=rep_review.return_type)
    fire(db_session, other, "cancel", shop["retailer"])
    db_session.flush()
    assert other.state == "cancelled"
    assert _invitations(db_session, other) == []
