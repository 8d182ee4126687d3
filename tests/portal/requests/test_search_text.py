"""A retailer's searches with a NUL or control character: a field error, never a 500, also
when another filter of the same form is wrong (the search text used to apply regardless)."""

from __future__ import annotations

import pytest

from tests.portal.requests.helpers import return_type, start


@pytest.mark.parametrize(
    "url",
    [
        "/requests/?q={}",
        "/requests/?q={}&created_from=not-a-date",
        "/account/?q={}",
        "/account/?q={}&invoiced_from=not-a-date",
    ],
)
@pytest.mark.parametrize("value", ["abc%00", "abc%1B"])
def test_a_control_character_in_a_retailer_search_is_a_field_error(
    client, login_as, world, url, value
):
    login_as(world.retailer)
    response = client.get(url.format(value))
    assert response.status_code == 200  # the page, with the field's error (not the last line's 400)
    assert "can&#39;t be stored (control characters)" in response.get_data(as_text=True)


@pytest.mark.parametrize("value", ["abc%00", "abc%1B"])
def test_a_control_character_in_the_purchase_search_of_a_draft(
    client, db_session, login_as, world, value
):
    rtype = return_type(db_session, world)
    login_as(world.retailer)
    number = start(client, rtype)
    response = client.get(f"/requests/{number}?q={value}")
    assert response.status_code == 200  # the page, with the field's error (not the last line's 400)
    assert "can&#39;t be stored (control characters)" in response.get_data(as_text=True)
