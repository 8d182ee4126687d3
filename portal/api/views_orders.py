"""The API's order import: order lines as JSON, imported by the CSV order import itself
(``portal.erp.importing.import_rows``), whole or not at all. Route: the URL table in
``portal.api.views``."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify

from models import Role
from portal.api.auth import for_roles, requires
from portal.api.bodies import json_body
from portal.api.idempotency import idempotent
from portal.api.problems import Problem
from portal.api.schemas import ImportOut, OrdersImport
from portal.api.scopes import Scope
from portal.api.spec import IDEMPOTENCY_KEY, api, documents_headers, write_responses
from portal.db import get_session
from portal.erp.importing import import_rows

importers = for_roles((Role.ADMIN,), "Orders are imported by admins, as on the import page.")


@documents_headers(IDEMPOTENCY_KEY)
@requires(Scope.ORDERS_IMPORT)
@importers
@json_body(OrdersImport)
@idempotent
@api.validate(
    json=OrdersImport, resp=write_responses(ImportOut, 200, 400, 409, 413, 415), tags=["Orders"]
)
def orders_import(json: OrdersImport) -> Response:
    """Import orders

    Invoiced order lines, under the rules of the CSV order import: accounts and products
    must exist, an invoice's rows agree on its header, a line is keyed by invoice and line
    number (importing it again changes nothing). All or nothing: with any error, nothing is
    imported and the 422 lists each error with its row (the index in `orders`, from 0),
    field and message."""
    rows = [row.model_dump() for row in json.orders]
    result = import_rows(get_session(), "orders", rows)
    if result.errors:
        raise _nothing_imported(result)
    out = ImportOut(
        rows=result.rows, created=result.created, updated=result.updated, unchanged=result.unchanged
    )
    return jsonify(out.model_dump(mode="json"))


def _nothing_imported(result: Any) -> Problem:
    """The 422 of a refused import: each error with its row, field and message."""
    return Problem(
        422,
        "Nothing was imported; see errors.",
        errors=[
            {"row": error.row, "field": error.column, "message": error.message}
            for error in result.errors
        ],
        errors_omitted=result.errors_omitted,
    )
