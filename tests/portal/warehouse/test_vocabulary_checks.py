"""The database holds grades, dispositions and resolutions from their vocabularies only."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from tests.factories import make_rma_with_lines
from workflow_designer.policy.vocabulary import MIXED, Disposition, Resolution


@pytest.fixture
def rma(db_session, shop):
    return make_rma_with_lines(
        db_session, shop["account"], shop["version"], [(shop["order"].lines[0], 1)]
    )


@pytest.mark.parametrize(
    ("column", "word"),
    [("resolution", "store_credit"), ("requested_resolution", "cash")],
)
def test_an_unknown_resolution_is_refused(db_session, rma, column, word):
    setattr(rma, column, Resolution.EXCHANGE)
    db_session.flush()
    setattr(rma, column, word)
    with pytest.raises(IntegrityError), db_session.begin_nested():
        db_session.flush()


def test_a_line_holds_a_known_or_mixed_disposition_only(db_session, rma):
    line = rma.lines[0]
    for word in (Disposition.SCRAP, MIXED, None):
        line.disposition = word
        db_session.flush()
    line.disposition = "landfill"
    with pytest.raises(IntegrityError), db_session.begin_nested():
        db_session.flush()
