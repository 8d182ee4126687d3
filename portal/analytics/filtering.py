"""Reading an analytics page's period and filters from its query string, with the choices
the signed-in user may see. Every analytics view (and its CSV) starts here."""

from __future__ import annotations

from dataclasses import replace

from flask import request
from flask_login import current_user
from sqlalchemy.orm import Session

from models.base import utcnow
from portal.analytics import queries
from portal.analytics.forms import AnalyticsFilterForm, Filters


def read_filters(
    session: Session, *, needs_brand: bool = False
) -> tuple[AnalyticsFilterForm, Filters]:
    """The form (with its errors, if any) and the filters it gives: the defaults when the
    query string could not be read. ``needs_brand``: a page read one brand at a time
    shows the first brand until another is chosen."""
    user = current_user._get_current_object()
    form = AnalyticsFilterForm(
        request.args,
        today=utcnow().date(),
        regions=queries.regions(session, user),
        brands=queries.brands(session),
        return_types=queries.return_types(session),
        find_account=lambda number: queries.find_account(session, user, number),
    )
    form.validate()
    filters = form.filters()
    if needs_brand and filters.brand is None and len(form.brand.choices) > 1:
        form.brand.data = form.brand.choices[1].value
        filters = replace(filters, brand=form.brand.data)
    return form, filters
