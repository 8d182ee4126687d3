"""Reads a request keeps (the unread badge, read with the user) end at its first write.

The page that renders after a change reads the badge afresh:
tests/portal/notifications/test_inbox.py (marking one read returns the new count).
"""

from __future__ import annotations

from sqlalchemy import select, update

from models import Role, User
from portal.db import get_session, remembered_reads
from tests.factories import make_user


def test_reads_are_kept_until_the_session_writes(app):
    with app.app_context():
        session = get_session()
        remembered_reads()["unread"] = 3
        session.execute(select(User)).all()
        assert remembered_reads() == {"unread": 3}
        make_user(session, Role.ADMIN)  # a flush
        assert remembered_reads() == {}
        remembered_reads()["unread"] = 3
        session.execute(update(User).values(name="Renamed"))
        assert remembered_reads() == {}
