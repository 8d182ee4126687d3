"""The policy editor for contract terms: ages and periods in days, weeks or months, and
closed periods given as a day and a month — in plain words, refused beside the field."""

from __future__ import annotations

import re

import pytest

from tests.portal.designer.helpers import HX
from workflow_designer.policy import RULES, validate_policy

DAYS_ONLY = {
    "purchase_age": {"enabled": True, "mode": "exception", "min_days": 90, "max_days": 730},
    "allowance": {"enabled": True, "mode": "exception", "percent": "15", "period_days": 365},
    "calendar_windows": {
        "enabled": True,
        "mode": "exception",
        "windows": [{"start": "01-01", "end": "02-15"}],
    },
}


def _url(return_type, check=False):
    return f"/designer/return-types/{return_type.id}/policy" + ("/check" if check else "")


def _form(**fields):
    """A post with every rule switched off (blocking), plus ``fields``."""
    data = {f"{name}-mode": "blocking" for name, spec in RULES.items() if spec.pass_fail}
    data.update(fields)
    return data


def _field(html: str, key: str) -> str:
    return html.split(f'id="field-{key}"', 1)[1].split("</div>", 1)[0]


def _selected(html: str, name: str) -> str:
    select = html.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    return re.search(r'<option value="([^"]*)" selected', select).group(1)


CONTRACT = {
    "purchase_age-enabled": "on",
    "purchase_age-mode": "exception",
    "purchase_age-min_days": "3",
    "purchase_age-min_days-unit": "months",
    "purchase_age-max_days": "730",
    "purchase_age-max_days-unit": "days",
    "allowance-enabled": "on",
    "allowance-percent": "12",
    "allowance-period_days": "12",
    "allowance-period_days-unit": "months",
    "return_window-enabled": "on",
    "return_window-days": "6",
    "return_window-days-unit": "weeks",
    "return_window-from": "invoice",
    "blackout_windows-enabled": "on",
    "blackout_windows-windows-1-start-day": "15",
    "blackout_windows-windows-1-start-month": "11",
    "blackout_windows-windows-1-end-day": "31",
    "blackout_windows-windows-1-end-month": "12",
    "blackout_windows-windows-2-start-day": "15",
    "blackout_windows-windows-2-start-month": "12",
    "blackout_windows-windows-2-end-day": "10",
    "blackout_windows-windows-2-end-month": "01",
    "blackout_windows-windows-3-start-day": "",
    "blackout_windows-windows-3-start-month": "",
}


def test_saving_periods_in_months_and_weeks_and_closed_periods(
    client, db_session, admin, return_type
):
    response = client.post(_url(return_type), data=_form(**CONTRACT))
    assert response.status_code == 303, response.data[:2000]
    db_session.refresh(return_type)
    policy = return_type.policy
    assert validate_policy(policy) == []
    assert policy["purchase_age"] == {
        "enabled": True,
        "mode": "exception",
        "min_days": {"count": 3, "unit": "months"},
        "max_days": 730,  # days stay a plain number, as every older policy holds them
    }
    assert policy["allowance"]["period_days"] == {"count": 12, "unit": "months"}
    assert policy["return_window"]["days"] == {"count": 6, "unit": "weeks"}
    assert policy["blackout_windows"] == {
        "enabled": True,
        "mode": "blocking",
        "windows": [{"start": "11-15", "end": "12-31"}, {"start": "12-15", "end": "01-10"}],
    }


def test_the_saved_contract_is_shown_back_in_plain_words(client, db_session, admin, return_type):
    client.post(_url(return_type), data=_form(**CONTRACT))
    html = client.get(_url(return_type)).data.decode()
    assert 'name="purchase_age-min_days" id="purchase_age-min_days" value="3"' in html
    assert _selected(html, "purchase_age-min_days-unit") == "months"
    assert _selected(html, "purchase_age-max_days-unit") == "days"
    assert _selected(html, "allowance-period_days-unit") == "months"
    assert 'id="blackout_windows-windows-2-end-day" value="10"' in html
    assert _selected(html, "blackout_windows-windows-2-end-month") == "01"
    summary = html.split("What retailers will read", 1)[1]
    assert "Only products bought 3 months to 730 days ago can be returned." in summary
    assert "in the last 12 months" in summary
    assert "Return within 6 weeks of the invoice date." in summary
    assert "Returns are closed from 15 Nov to 31 Dec and from 15 Dec to 10 Jan (yearly)" in summary
    words = re.sub(r"<[^>]+>", " ", html.split('id="policy-editor"', 1)[1])
    for technical in ('{"', "MM-DD", "_days", "blackout_windows", "period_days"):
        assert technical not in words, technical


def test_a_stored_days_only_policy_shows_and_saves_unchanged(
    client, db_session, admin, return_type
):
    return_type.policy = DAYS_ONLY
    db_session.commit()
    html = client.get(_url(return_type)).data.decode()
    assert 'id="purchase_age-min_days" value="90"' in html
    assert _selected(html, "purchase_age-min_days-unit") == "days"
    assert _selected(html, "calendar_windows-windows-1-end-month") == "02"
    # Posting back what the editor shows stores the same document.
    form = {
        "purchase_age-enabled": "on",
        "purchase_age-mode": "exception",
        "purchase_age-min_days": "90",
        "purchase_age-min_days-unit": "days",
        "purchase_age-max_days": "730",
        "purchase_age-max_days-unit": "days",
        "allowance-enabled": "on",
        "allowance-mode": "exception",
        "allowance-percent": "15",
        "allowance-period_days": "365",
        "allowance-period_days-unit": "days",
        "calendar_windows-enabled": "on",
        "calendar_windows-mode": "exception",
        "calendar_windows-windows-1-start-day": "1",
        "calendar_windows-windows-1-start-month": "01",
        "calendar_windows-windows-1-end-day": "15",
        "calendar_windows-windows-1-end-month": "02",
    }
    assert client.post(_url(return_type), data=_form(**form)).status_code == 303
    db_session.refresh(return_type)
    for name, rule in DAYS_ONLY.items():
        assert return_type.policy[name] == rule


BAD = [
    (
        {
            "blackout_windows-enabled": "on",
            "blackout_windows-windows-1-start-day": "15",
            "blackout_windows-windows-1-start-month": "11",
            "blackout_windows-windows-1-end-day": "31",
            "blackout_windows-windows-1-end-month": "02",
        },
        "blackout_windows-windows",
        "Closed periods: window 1 end 31 Feb is not a real date.",
    ),
    (
        {
            "blackout_windows-enabled": "on",
            "blackout_windows-windows-1-start-day": "first",
            "blackout_windows-windows-1-start-month": "11",
            "blackout_windows-windows-1-end-day": "30",
            "blackout_windows-windows-1-end-month": "11",
        },
        "blackout_windows-windows",
        "Closed periods: window 1 start &#39;11-first&#39; must be a day and a month",
    ),
    (
        {
            "blackout_windows-enabled": "on",
            "blackout_windows-windows-1-start-day": "29",
            "blackout_windows-windows-1-start-month": "02",
            "blackout_windows-windows-1-end-day": "10",
            "blackout_windows-windows-1-end-month": "03",
        },
        "blackout_windows-windows",
        "window 1 start 29 Feb is only in leap years; use 28 Feb or 1 Mar.",
    ),
    (
        {
            "purchase_age-enabled": "on",
            "purchase_age-min_days": "three",
            "purchase_age-min_days-unit": "months",
        },
        "purchase_age-min_days",
        "Purchase age: minimum age must be a whole number, not &#39;three&#39;.",
    ),
    (
        {
            "purchase_age-enabled": "on",
            "purchase_age-min_days": "200",
            "purchase_age-min_days-unit": "months",
        },
        "purchase_age-min_days",
        "Purchase age: minimum age must be between 0 and 120 months.",
    ),
    (
        {
            "purchase_age-enabled": "on",
            "purchase_age-min_days": "3",
            "purchase_age-min_days-unit": "months",
            "purchase_age-max_days": "60",
            "purchase_age-max_days-unit": "days",
        },
        "purchase_age-max_days",
        "Purchase age: the maximum (60 days) is below the minimum (3 months).",
    ),
    (
        {
            "allowance-enabled": "on",
            "allowance-percent": "12",
            "allowance-period_days": "12",
            "allowance-period_days-unit": "years",
        },
        "allowance-period_days",
        "Allowance: period must be counted in days, weeks or months, not &#39;years&#39;.",
    ),
]


@pytest.mark.parametrize(("fields", "key", "message"), BAD)
def test_bad_input_is_refused_beside_its_field_and_changes_nothing(
    client, db_session, admin, return_type, fields, key, message
):
    return_type.policy = DAYS_ONLY
    db_session.commit()
    response = client.post(_url(return_type), data=_form(**fields), headers=HX)
    assert response.status_code == 422
    assert message in _field(response.data.decode(), key)
    db_session.refresh(return_type)
    assert return_type.policy == DAYS_ONLY


def test_what_was_typed_stays_after_a_refusal(client, db_session, admin, return_type):
    fields = BAD[0][0]
    html = client.post(_url(return_type), data=_form(**fields), headers=HX).data.decode()
    field = _field(html, "blackout_windows-windows")
    assert 'id="blackout_windows-windows-1-end-day" value="31"' in field
    assert _selected(field, "blackout_windows-windows-1-end-month") == "02"


def test_checking_as_you_type_explains_a_closed_period(client, db_session, admin, return_type):
    fields = {k: v for k, v in CONTRACT.items() if k.startswith("blackout_windows")}
    response = client.post(_url(return_type, check=True), data=_form(**fields), headers=HX)
    assert response.status_code == 200
    assert "Returns are closed from 15 Nov to 31 Dec and from 15 Dec to 10 Jan" in (
        response.data.decode()
    )
    db_session.refresh(return_type)
    assert return_type.policy == {}
