"""Pagination: counting stops at a limit past the page shown; the page says "more than"."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import Product
from portal.pagination import paginate
from tests.factories import make_product


@pytest.fixture
def products(db_session):
    made = [make_product(db_session) for _ in range(12)]
    db_session.flush()
    return select(Product).where(Product.id.in_([p.id for p in made])).order_by(Product.id)


def test_a_short_list_is_counted_exactly(db_session, products):
    page = paginate(db_session, products, 2, 5, count_limit=20)
    assert (page.total, page.more, page.pages, len(page.items)) == (12, False, 3, 5)
    assert page.has_next and page.has_prev


def test_counting_stops_at_the_limit_past_the_page(db_session, products):
    first = paginate(db_session, products, 1, 5, count_limit=6)
    assert (first.total, first.more, first.has_next) == (6, True, True)
    second = paginate(db_session, products, 2, 5, count_limit=6)
    assert (second.total, second.more, second.first_index, second.last_index) == (11, True, 6, 10)
    third = paginate(db_session, products, 3, 5, count_limit=6)
    assert (third.total, third.more, third.has_next, len(third.items)) == (12, False, False, 2)


def test_a_page_past_the_end_shows_the_last(db_session, products):
    page = paginate(db_session, products, 40, 5, count_limit=6)
    assert (page.page, page.total, page.more, len(page.items)) == (3, 12, False, 2)


def test_no_limit_counts_everything(db_session, products):
    page = paginate(db_session, products, 1, 5, count_limit=None)
    assert (page.total, page.more) == (12, False)


def test_the_page_says_more_than_when_counting_stopped(app):
    from flask import render_template_string

    from portal.pagination import Page

    template = '{% from "_forms.html" import pagination %}{{ pagination(page, "requests.index") }}'
    with app.test_request_context("/requests/"):
        capped = render_template_string(template, page=Page([], 1, 25, 1000, more=True))
        exact = render_template_string(template, page=Page([], 1, 25, 40))
    assert "1–25 of more than 1,000" in capped and "Page 1<" in capped
    assert "1–25 of 40" in exact and "Page 1 of 2" in exact


def test_a_page_that_ends_the_list_is_not_counted(db_session, products, count_queries):
    count_queries.statements.clear()
    short = paginate(db_session, products, 3, 5)
    assert (short.total, short.more, short.has_next, len(short.items)) == (12, False, False, 2)
    assert len(count_queries) == 1  # the rows say how many there are
    count_queries.statements.clear()
    full = paginate(db_session, products, 2, 5)
    assert (full.total, full.has_next, len(full.items)) == (12, True, 5)
    assert len(count_queries) == 2  # the rows, then the count


def test_the_total_comes_from_the_count_query(db_session, products):
    eighth = db_session.scalars(products).all()[7]
    first_eight = select(Product.id).where(Product.id <= eighth.id, Product.id.in_(
        select(products.subquery().c.id)))  # fmt: skip
    page = paginate(db_session, products, 1, 5, count_query=first_eight)
    assert (page.total, page.pages, len(page.items)) == (8, 2, 5)
