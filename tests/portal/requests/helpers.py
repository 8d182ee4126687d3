"""Helpers of the request tests: return types, drafts and their lines, submitting."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from tests.factories import make_return_type
from tests.world import World


def return_type(db_session, world: World, policy: dict | None = None, **fields):
    fields.setdefault("reasons", ["Slow seller", "Overstock"])
    fields.setdefault("resolutions", ["credit", "replacement_order"])
    workflow_id = fields.pop("workflow_id", world.version.workflow_id)
    return make_return_type(db_session, workflow_id, policy=policy or {}, **fields)


def start(client, rtype, account_id: int | None = None) -> str:
    """Start a draft of ``rtype``; returns its number."""
    data = {"return_type_id": str(rtype.id)}
    if account_id is not None:
        data["account_id"] = str(account_id)
    response = client.post("/requests/new", data=data)
    assert response.status_code == 303, response.data[:500]
    return response.headers["Location"].rsplit("/", 1)[-1]


def add(client, number: str, picks: dict[int, int | None], htmx: bool = True, **fields):
    data: dict[str, Any] = {"pick": [str(i) for i, q in picks.items() if q is None]}
    data.update({f"qty-{i}": str(q) for i, q in picks.items() if q is not None})
    data.update(fields)
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"/requests/{number}/lines", data=data, headers=headers)


def draft_page(client, number: str) -> str:
    response = client.get(f"/requests/{number}")
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def line_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr id="line-(\d+)"', html)]


def update(client, number: str, line_id: int, htmx: bool = True, **values):
    values.setdefault("reason", "Slow seller")
    values.setdefault("condition", "new")
    values.setdefault("description", "")
    data = {f"l{line_id}-{name}": str(value) for name, value in values.items()}
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"/requests/{number}/lines/{line_id}", data=data, headers=headers)


def complete_lines(client, number: str, **values) -> None:
    """Give every line a reason and a condition (keeping its quantity)."""
    html = draft_page(client, number)
    for line_id in line_ids(html):
        quantity = re.search(rf'name="l{line_id}-quantity"[^>]*value="(\d+)"', html)
        assert (
            update(client, number, line_id, quantity=quantity.group(1), **values).status_code == 200
        )


def findings(html: str) -> dict[str, bool]:
    """Rule → passed, as the panel shows them (request checks under their label)."""
    panel = html.split('id="policy-panel"', 1)[1]
    rules = dict(re.findall(r'data-rule="([a-z_]+)" data-passed="(true|false)"', panel))
    checks = dict(re.findall(r'data-check="([^"]+)" data-passed="(true|false)"', panel))
    return {name: passed == "true" for name, passed in {**rules, **checks}.items()}


def figure(html: str, rule_name: str, key: str) -> str:
    row = html.split(f'data-rule="{rule_name}"', 1)[1].split("</li>", 1)[0]
    return re.search(rf'data-figure="{key}">([^<]*)<', row).group(1)


def submit_fields(html: str) -> dict[str, str]:
    form = html.split('id="submit-form"', 1)[1].split("</form>", 1)[0]
    fields = dict(
        re.findall(r'name="(idempotency_key|digest)" type="hidden" value="([^"]*)"', form)
    )
    resolution = re.search(r'name="resolution"[^>]*value="([^"]*)"', form) or re.search(
        r'<option selected value="([^"]*)"', form
    )
    fields["resolution"] = resolution.group(1) if resolution else ""
    return fields


def can_submit(html: str) -> bool:
    return 'data-can-submit="true"' in html


def submit(client, number: str, **overrides):
    fields = submit_fields(draft_page(client, number))
    fields.update(overrides)
    return client.post(f"/requests/{number}/submit", data=fields)


def window_around(day: date, open_: bool = True) -> dict:
    """A calendar window containing ``day`` (or one that ends the day before it)."""
    if open_:
        start, end = day - timedelta(days=3), day + timedelta(days=3)
    else:
        start, end = day - timedelta(days=40), day - timedelta(days=1)
    return {"start": start.strftime("%m-%d"), "end": end.strftime("%m-%d")}
