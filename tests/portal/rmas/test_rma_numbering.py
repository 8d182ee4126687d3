from datetime import UTC, datetime

from portal.rmas.numbering import next_rma_number


def test_numbers_count_per_year(db_session):
    first = next_rma_number(db_session, datetime(2026, 1, 5, tzinfo=UTC))
    second = next_rma_number(db_session, datetime(2026, 12, 31, tzinfo=UTC))
    other_year = next_rma_number(db_session, datetime(2027, 1, 1, tzinfo=UTC))
    assert (first, second, other_year) == ("RMA-2026-000001", "RMA-2026-000002", "RMA-2027-000001")
