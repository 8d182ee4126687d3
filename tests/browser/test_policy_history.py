"""An admin reads a policy's history, compares an old version, and restores it, in a real
browser; the history and the comparison pass the page checks at 375, 768 and 1366 px."""

from __future__ import annotations

import re

import pytest

from models import Role
from tests.browser.checks import check_page
from tests.browser.helpers import log_in
from tests.factories import (
    PASSWORD,
    make_policy_version,
    make_published_workflow,
    make_return_type,
    make_user,
)

pytestmark = pytest.mark.browser

TEN = {
    "allowance": {"enabled": True, "mode": "blocking", "percent": "10", "period_days": 365},
    "purchase_age": {"enabled": True, "mode": "exception", "min_days": 90},
}
TWELVE = {
    "allowance": {**TEN["allowance"], "percent": "12"},
    "purchase_age": {**TEN["purchase_age"], "min_days": 60},
}


@pytest.fixture(scope="module")
def versioned(live_server):
    with live_server.session() as session:
        admin = make_user(session, Role.ADMIN, email="policy-admin@example.test", name="Pia")
        workflow = make_published_workflow(session)
        return_type = make_return_type(
            session, workflow.workflow_id, name="Seasonal rotation", policy=TWELVE
        )
        make_policy_version(session, return_type, params=TEN, note="The policy as it stood")
        make_policy_version(session, return_type, created_by_id=admin.id, note="A longer note " * 8)
        session.commit()
        return admin.email, return_type.id


def test_history_compare_and_restore(page, versioned):
    email, return_type_id = versioned
    log_in(page, email, PASSWORD)
    page.goto(f"/designer/return-types/{return_type_id}/policy")
    page.click("#policy-history-link")
    page.wait_for_url(re.compile(r"/policy/history$"))
    current = page.inner_text("#policy-version-2")
    assert "current" in current and "by Pia" in current
    assert "Percent of net purchases: 10% → 12%" in current
    check_page(page)

    page.click("#policy-version-1 >> text=Compare with current")
    page.wait_for_url(re.compile(r"/policy/diff\?version=1$"))
    table = page.inner_text("#policy-diff")
    assert "Minimum age" in table and "90 days" in table and "60 days" in table
    assert "Period" not in table
    check_page(page)

    page.click("summary:has-text('Restore version 1…')")
    page.click("button:has-text('Yes, restore version 1')")
    page.wait_for_url(re.compile(r"/policy/history$"))
    assert "Version 1 restored as version 3." in page.inner_text(".flash")
    assert "restored from version 1" in page.inner_text("#policy-version-3")
