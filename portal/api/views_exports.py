"""The API's exports for finance: the RMA list and an account's credit ledger as one CSV
or JSON file, with the list endpoints' filters and scope. Routes: the URL table in
``portal.api.views``."""

from __future__ import annotations

from flask import Response

from portal.api import exports, queries
from portal.api.auth import api_user, requires
from portal.api.schemas import LedgerExportQuery, RmaExportQuery
from portal.api.scopes import Scope
from portal.api.spec import api, responses
from portal.db import get_session


@requires(Scope.RMAS_READ)
@api.validate(query=RmaExportQuery, resp=responses(None), tags=["RMAs"])
def rmas_export(query: RmaExportQuery) -> Response:
    """Export RMAs

    Every RMA `GET /rmas` lists with the same filters, over all its pages and in its order,
    as one download: `format=csv` (the default) or `format=json` (`{"items": [...]}`, each
    item as the list shows it)."""
    rows = queries.rma_export_rows(get_session(), api_user(), query)
    return exports.rma_export(rows, query.format)


@requires(Scope.LEDGER_READ)
@api.validate(query=LedgerExportQuery, resp=responses(None, not_found=True), tags=["Ledger"])
def ledger_export(query: LedgerExportQuery) -> Response:
    """Export an account's credit ledger

    Every entry `GET /ledger` lists with the same filters, over all its pages and in its
    order, as one download: `format=csv` (the default) or `format=json`."""
    rows = queries.ledger_export_rows(get_session(), api_user(), query)
    return exports.ledger_export(rows, query.format, query.account)
