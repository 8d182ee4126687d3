"""The policy editor, built from policy.RULES: every rule switchable, errors beside fields."""

from __future__ import annotations

import pytest

from tests.factories import make_product
from tests.portal.designer.helpers import HX
from workflow_designer.policy import RULES, validate_policy


def _form(**fields):
    """A post with every rule switched off (blocking), plus ``fields``."""
    data = {f"{name}-mode": "blocking" for name, spec in RULES.items() if spec.pass_fail}
    data.update(fields)
    return data


def test_every_rule_is_offered(client, db_session, admin, return_type):
    make_product(db_session, brand="Aurora", category="sun")
    db_session.commit()
    html = client.get(f"/designer/return-types/{return_type.id}/policy").data.decode()
    for name, spec in RULES.items():
        assert f'name="{name}-enabled"' in html, name
        assert spec.label in html
    assert 'value="Aurora"' in html and 'value="sun"' in html  # from the catalog
    assert 'name="grade_deductions-percent-heavily_damaged"' in html
    assert 'name="calendar_windows-windows-1-start-day"' in html
    assert 'name="blackout_windows-windows-1-end-month"' in html
    assert 'name="purchase_age-min_days-unit"' in html


def test_saving_a_valid_policy(client, db_session, admin, return_type):
    data = _form(
        **{
            "purchase_age-enabled": "on",
            "purchase_age-mode": "exception",
            "purchase_age-min_days": "90",
            "purchase_age-max_days": "730",
            "calendar_windows-enabled": "on",
            "calendar_windows-windows-1-start": "01-01",
            "calendar_windows-windows-1-end": "02-15",
            "calendar_windows-windows-2-start": "12-01",
            "calendar_windows-windows-2-end": "01-15",
            "restocking_fee-enabled": "on",
            "restocking_fee-percent": "10",
            "evidence-enabled": "on",
            "evidence-photos": "on",
        }
    )
    response = client.post(f"/designer/return-types/{return_type.id}/policy", data=data)
    assert response.status_code == 303
    db_session.refresh(return_type)
    policy = return_type.policy
    assert validate_policy(policy) == []
    assert policy["purchase_age"] == {
        "enabled": True,
        "mode": "exception",
        "min_days": 90,
        "max_days": 730,
    }
    assert policy["calendar_windows"]["windows"] == [
        {"start": "01-01", "end": "02-15"},
        {"start": "12-01", "end": "01-15"},
    ]
    assert policy["restocking_fee"] == {"enabled": True, "percent": "10"}
    # The evidence rule and the return type's evidence checkboxes are one setting.
    assert return_type.requires_photos and not return_type.requires_description


def test_an_inconsistent_rule_is_refused_beside_its_field(client, db_session, admin, return_type):
    data = _form(
        **{
            "purchase_age-enabled": "on",
            "purchase_age-min_days": "90",
            "purchase_age-max_days": "30",
        }
    )
    response = client.post(f"/designer/return-types/{return_type.id}/policy", data=data, headers=HX)
    assert response.status_code == 422
    html = response.data.decode()
    field = html.split('id="field-purchase_age-max_days"')[1].split("</div>")[0]
    assert "the maximum (30 days) is below the minimum (90 days)" in field
    assert 'value="30"' in field  # what was typed stays
    db_session.refresh(return_type)
    assert return_type.policy == {}


def test_a_bad_number_is_refused(client, db_session, admin, return_type):
    data = _form(
        **{"allowance-enabled": "on", "allowance-percent": "lots", "allowance-period_days": "365"}
    )
    response = client.post(f"/designer/return-types/{return_type.id}/policy", data=data)
    assert response.status_code == 422
    assert "Allowance: percent of net purchases must be a number" in response.data.decode()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("allowance-percent", "sNaN"),
        ("allowance-percent", "1e-999999999"),
        ("allowance-percent", "1e999999999"),
        ("allowance-period_days", "9" * 5000),
        ("allowance-period_days", "²"),
    ],
)
def test_a_hostile_number_is_refused(client, db_session, admin, return_type, field, value):
    fields = {"allowance-enabled": "on", "allowance-percent": "5", "allowance-period_days": "365"}
    data = _form(**{**fields, field: value})
    response = client.post(f"/designer/return-types/{return_type.id}/policy", data=data)
    assert response.status_code == 422
    assert "Allowance:" in response.data.decode()


def test_a_switched_off_rule_keeps_only_what_reads_cleanly(client, db_session, admin, return_type):
    data = _form(**{"allowance-percent": "15", "allowance-period_days": "many"})
    assert (
        client.post(f"/designer/return-types/{return_type.id}/policy", data=data).status_code == 303
    )
    db_session.refresh(return_type)
    assert return_type.policy["allowance"] == {
        "enabled": False,
        "mode": "blocking",
        "percent": "15",
    }


def test_checking_as_you_type_saves_nothing(client, db_session, admin, return_type):
    data = _form(**{"cooldown-enabled": "on", "cooldown-days": ""})
    response = client.post(
        f"/designer/return-types/{return_type.id}/policy/check", data=data, headers=HX
    )
    assert response.status_code == 200
    assert "Cooldown: time between requests is required." in response.data.decode()
    db_session.refresh(return_type)
    assert return_type.policy == {}


def test_the_summary_retailers_will_read(client, db_session, admin, return_type):
    data = _form(
        **{
            "return_window-enabled": "on",
            "return_window-days": "30",
            "return_window-from": "delivery",
        }
    )
    client.post(f"/designer/return-types/{return_type.id}/policy", data=data)
    html = client.get(f"/designer/return-types/{return_type.id}/policy").data.decode()
    assert "What retailers will read" in html and "30 days" in html


def test_the_exchange_bonus_takes_a_percent_and_or_an_amount(
    client, db_session, admin, return_type
):
    url = f"/designer/return-types/{return_type.id}/policy"
    assert 'name="exchange_bonus-amount"' in client.get(url).data.decode()
    fields = {"exchange_bonus-enabled": "on", "exchange_bonus-percent": "0"}
    response = client.post(url, data=_form(**fields, **{"exchange_bonus-amount": "25"}))
    assert response.status_code == 303
    db_session.refresh(return_type)
    bonus = return_type.policy["exchange_bonus"]
    assert (bonus["percent"], bonus["amount"]) == ("0", "25")
    response = client.post(url, data=_form(**fields, **{"exchange_bonus-amount": "-5"}))
    assert response.status_code == 422
    assert "Exchange bonus:" in response.data.decode()
    db_session.refresh(return_type)
    assert return_type.policy["exchange_bonus"]["amount"] == "25"
