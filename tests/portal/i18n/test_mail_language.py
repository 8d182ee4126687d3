"""Mail goes out in its recipient's language, whoever caused it: the recipient's own
choice, else their account's or the distributor's, else English."""

from __future__ import annotations

from models import Channel, OutboxMessage, Role
from portal.notifications.worker import compose_email
from tests.factories import make_account, make_distributor_profile, make_user

PAYLOAD = {"rma_number": "RMA-2026-000123", "account_name": "Optik Sonnenschein"}


def _subject(app, session, user) -> str:
    row = OutboxMessage(
        channel=Channel.EMAIL,
        template="rma_authorized",
        recipient_user_id=user.id,
        recipient_address=user.email,
        payload=PAYLOAD,
    )
    with app.app_context():
        message = compose_email("Rotaflow <returns@nordwind.example.com>")(session, row)
    return message["Subject"]


def test_each_recipient_reads_their_own_language(app, db_session):
    french_shop = make_account(db_session)
    french_shop.locale = "fr"
    retailer = make_user(db_session, Role.RETAILER, account=french_shop)
    german_rep = make_user(db_session, Role.SALES_REP, locale="de")
    admin = make_user(db_session, Role.ADMIN)
    db_session.commit()

    assert (
        _subject(app, db_session, retailer)
        == "RMA-2026-000123 est autorisé : imprimez l'étiquette de retour"
    )
    assert _subject(app, db_session, german_rep).startswith("RMA-2026-000123 ist genehmigt")
    assert _subject(app, db_session, admin).startswith("RMA-2026-000123 is authorized")

    make_distributor_profile(db_session, locale="de")
    db_session.commit()
    assert _subject(app, db_session, admin).startswith("RMA-2026-000123 ist genehmigt")
    assert _subject(app, db_session, retailer).startswith("RMA-2026-000123 est autorisé")
