"""The accounts import carries the sender address of return labels: street, postal code,
city, as optional columns with the import's usual rules (all or nothing, left out = kept)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import RetailerAccount
from tests.portal.erp.test_erp_import import assert_rejected, run

HEADER = "account_number,name,country,currency,street,postal_code,city"


def account(session, number: str) -> RetailerAccount:
    return session.scalar(select(RetailerAccount).where(RetailerAccount.number == number))


def address(session, number: str) -> tuple[str, str, str]:
    found = account(session, number)
    session.refresh(found)
    return (found.street, found.postal_code, found.city)


def test_the_address_columns_are_imported(db_session):
    result = run(
        db_session,
        "accounts",
        "account_number;name;country;currency;Street;Postcode;City",
        "C100;Optik Meyer;DE;EUR;Friedrichstraße 123;10117;Berlin",
        '"C101";"Lunetterie Moreau";FR;EUR;"12 rue Sainte-Catherine";33000;Bordeaux',
        "C102;Optik Ohne;DE;EUR;;;",
    )
    assert result.ok, result.error_lines()
    assert address(db_session, "C100") == ("Friedrichstraße 123", "10117", "Berlin")
    assert address(db_session, "C101") == ("12 rue Sainte-Catherine", "33000", "Bordeaux")
    assert address(db_session, "C102") == ("", "", "")  # empty cells: the empty default


def test_a_file_without_the_columns_keeps_stored_addresses(db_session):
    run(db_session, "accounts", HEADER, "C100,Optik Meyer,DE,EUR,Hauptstraße 1,10115,Berlin")
    result = run(
        db_session, "accounts", "account_number,name,country,currency", "C100,Optik M,DE,EUR"
    )
    assert result.ok and result.updated == 1
    assert account(db_session, "C100").name == "Optik M"
    assert address(db_session, "C100") == ("Hauptstraße 1", "10115", "Berlin")


def test_a_changed_address_updates_the_account_and_reimporting_changes_nothing(db_session):
    run(db_session, "accounts", HEADER, "C100,Optik Meyer,DE,EUR,Hauptstraße 1,10115,Berlin")
    moved = "C100,Optik Meyer,DE,EUR,Torstraße 5,10119,Berlin"
    first = run(db_session, "accounts", HEADER, moved)
    assert (first.updated, first.unchanged) == (1, 0)
    again = run(db_session, "accounts", HEADER, moved)
    assert (again.updated, again.unchanged) == (0, 1)
    assert address(db_session, "C100") == ("Torstraße 5", "10119", "Berlin")


@pytest.mark.parametrize(
    ("row", "column", "message_part"),
    [
        (f"C2,Optik B,DE,EUR,{'s' * 201},10115,Berlin", "street", "at most 200"),
        ("C2,Optik B,DE,EUR,Hauptstraße 1,123456789012345678901,Berlin", "postal_code", "20"),
        (f"C2,Optik B,DE,EUR,Hauptstraße 1,10115,{'c' * 101}", "city", "at most 100"),
        ('C2,Optik B,DE,EUR,"Haupt\nstraße 1",10115,Berlin', "street", "one line"),
        ("C2,Optik B,DE,EUR,Haupt\x00straße 1,10115,Berlin", "street", "NUL"),
        ("C2,Optik B,DE,EUR,Hauptstraße 1,10115,Ber\tlin", "city", "one line"),
    ],
)
def test_a_bad_address_cell_refuses_the_whole_file(db_session, row, column, message_part):
    lines = [HEADER, "C1,Optik A,DE,EUR,Weg 1,10115,Berlin", row, "C3,Optik C,DE,EUR,,,"]
    assert_rejected(db_session, "accounts", lines, (3, column), message_part)


def test_nul_in_any_text_cell_is_refused_not_a_database_error(db_session):
    lines = ["account_number,name,country,currency", "C1,Optik\x00A,DE,EUR"]
    assert_rejected(db_session, "accounts", lines, (2, "name"), "NUL")
