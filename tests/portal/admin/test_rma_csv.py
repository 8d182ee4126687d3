"""The RMA list's two CSV downloads: same filters and order as the list, exact contents."""

from __future__ import annotations

import csv
import io

import pytest

from models import RetailerAccount
from portal.admin.rma_csv import LINE_COLUMNS, RMA_COLUMNS
from tests.portal.admin.flows import resolve


def codes(url: str) -> str:
    """``url`` with column codes for headers: these tests read cells by code, as scripts do."""
    return url + ("&" if "?" in url else "?") + "headers=codes"


def rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_rmas_csv_has_one_row_per_rma_with_its_credit(client, admin, db_session, shop, awaiting):
    resolve(db_session, awaiting, shop)
    response = client.get(codes("/admin/rmas.csv"))
    assert response.headers["Content-Disposition"] == 'attachment; filename="rmas.csv"'
    (row,) = rows(response)
    account = shop["account"]
    assert row == {
        "number": awaiting.number,
        "account_number": account.number,
        "account_name": account.name,
        "return_type": awaiting.return_type.name,
        "state": "credited",
        "submitted_at": "",
        "total_value": "259.99",
        "currency": "EUR",
        "resolution": "credit",
        "credit": "188.66",
        "exception_requested": "no",
        "exception_justification": "",
        "exception_rules_broken": "",
        "exception_decision": "",
        "exception_decided_by": "",
        "exception_decision_comment": "",
    }


def test_an_adjusted_rma_stays_one_row_credited_with_all_its_documents(
    client, admin, db_session, shop, awaiting
):
    from models import Grade
    from portal.warehouse.corrections import correct_grading

    resolve(db_session, awaiting, shop)  # memo 188.66
    aurora = awaiting.lines[0]
    correct_grading(db_session, awaiting, aurora, shop["admin"], {Grade.NEW: 4}, "Was new")
    db_session.flush()  # adjustment +12.00
    (row,) = rows(client.get(codes("/admin/rmas.csv")))
    assert (row["number"], row["credit"]) == (awaiting.number, "200.66")
    listing = client.get("/admin/rmas").get_data(as_text=True)
    assert listing.count(f'href="/rmas/{awaiting.number}"') == 1
    assert "€200.66" in listing


def test_rma_lines_csv_has_each_line_with_grade_disposition_and_credit(
    client, admin, db_session, shop, awaiting
):
    resolve(db_session, awaiting, shop)
    response = client.get(codes("/admin/rma_lines.csv"))
    assert response.headers["Content-Disposition"] == 'attachment; filename="rma_lines.csv"'
    aurora, velo = rows(response)
    invoice = shop["order"].invoice_number
    assert aurora == {
        "rma_number": awaiting.number,
        "invoice": invoice,
        "sku": "AUR-1",
        "quantity_requested": "4",
        "quantity_authorized": "4",
        "quantity_received": "4",
        "grade": "mixed",
        "disposition": "mixed",
        "credit": "132.00",
        "currency": "EUR",
    }
    assert (velo["sku"], velo["quantity_received"], velo["grade"], velo["disposition"]) == (
        "VEL-2",
        "2",
        "open_packaging",
        "b_stock",
    )
    assert velo["credit"] == "56.66"


def test_lines_of_an_unresolved_rma_have_empty_figures(client, admin, awaiting):
    aurora, _velo = rows(client.get(codes("/admin/rma_lines.csv")))
    assert (aurora["quantity_received"], aurora["grade"], aurora["credit"]) == ("0", "", "")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["B", "C", "A", "D"]),
        ("?state=inspected", ["B"]),
        ("?account=dupont", ["C", "D"]),
        ("?older_than=7&sort=submitted_asc", ["A", "C"]),
        ("?min_value=60&max_value=1000&sort=value_desc", ["C", "A"]),
        ("?page=2", ["B", "C", "A", "D"]),  # an export is never paginated
    ],
)
def test_exports_use_the_list_filters_and_order(client, admin, listing, query, expected):
    numbers = [row["number"] for row in rows(client.get(codes(f"/admin/rmas.csv{query}")))]
    assert numbers == [f"RMA-LIST-{key}" for key in expected]
    # make_rma gives these RMAs no lines.
    assert rows(client.get(codes(f"/admin/rma_lines.csv{query}"))) == []


def test_lines_export_follows_the_filters(client, admin, db_session, shop, awaiting, listing):
    exported = rows(client.get(codes("/admin/rma_lines.csv")))
    assert {r["rma_number"] for r in exported} == {awaiting.number}
    assert rows(client.get(codes("/admin/rma_lines.csv?state=inspected"))) == []


def test_a_bad_filter_refuses_the_export(client, admin, listing):
    response = client.get("/admin/rmas.csv?min_value=lots")
    assert response.status_code == 400
    assert "Value from: Not a valid decimal value." in response.get_data(as_text=True)
    assert client.get("/admin/rma_lines.csv?sort=colour").status_code == 400


def test_text_that_a_spreadsheet_would_run_is_neutralised(client, admin, db_session, listing):
    dupont: RetailerAccount = listing["dupont"]
    dupont.name = '=HYPERLINK("http://evil.example","Dupont")'
    db_session.flush()
    (row, _) = rows(client.get(codes("/admin/rmas.csv?account=FR-200")))
    assert row["account_name"] == "'" + dupont.name


def test_the_list_links_its_exports_with_the_filters(client, admin, listing):
    html = client.get("/admin/rmas?state=inspected&page=1").get_data(as_text=True)
    assert 'href="/admin/rmas.csv?state=inspected"' in html
    assert 'href="/admin/rma_lines.csv?state=inspected"' in html
    assert 'href="/admin/rmas.csv?state=inspected&amp;headers=codes"' in html
    assert 'href="/admin/rma_lines.csv?state=inspected&amp;headers=codes"' in html


def test_the_list_never_doubles_the_headers_choice_in_its_links(client, admin, listing):
    html = client.get("/admin/rmas?headers=codes").get_data(as_text=True)
    assert 'href="/admin/rmas.csv"' in html
    assert 'href="/admin/rmas.csv?headers=codes"' in html


def test_people_read_column_labels_and_scripts_column_codes(client, admin, awaiting):
    def header(url: str) -> list[str]:
        response = client.get(url)
        assert response.status_code == 200
        return next(csv.reader(io.StringIO(response.get_data(as_text=True))))

    assert header("/admin/rmas.csv")[:3] == ["RMA number", "Account number", "Account name"]
    assert header("/admin/rmas.csv")[9:11] == ["Credited amount", "Exception requested"]
    assert header("/admin/rmas.csv?headers=labels") == header("/admin/rmas.csv")
    assert header("/admin/rmas.csv?headers=codes") == list(RMA_COLUMNS)
    assert header("/admin/rma_lines.csv") == [
        "RMA number", "Invoice number", "SKU", "Quantity requested", "Quantity authorized",
        "Quantity received", "Grade", "Disposition", "Credited amount", "Currency",
    ]  # fmt: skip
    assert header("/admin/rma_lines.csv?headers=codes") == list(LINE_COLUMNS)


@pytest.mark.parametrize("path", ["/admin/rmas.csv", "/admin/rma_lines.csv"])
@pytest.mark.parametrize("value", ["english", "CODES", "codes,labels", "%00"])
def test_an_unknown_headers_value_refuses_the_export(client, admin, awaiting, path, value):
    response = client.get(f"{path}?headers={value}")
    assert response.status_code == 400 and response.mimetype == "text/html"
    text = response.get_data(as_text=True)
    assert "Column headings: Choose labels" in text
    assert awaiting.number not in text
