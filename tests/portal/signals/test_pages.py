"""Where signals are shown: the approval queue, the RMA page and the account pages, to
reps and admins; never to a retailer. And the admin's thresholds form."""

from __future__ import annotations

import re
from collections import deque
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from models.signals import RiskSignalSettings
from portal.signals import pages
from portal.signals.queries import load_thresholds
from tests.portal.signals.dataset import build

# Every signal's label, and the words of every sentence, as an English reader sees them.
SIGNAL_WORDS = (
    "Risk signal",
    "risk signal",
    "High return rate",
    "Same SKU returned again",
    "Condition not as stated",
    "More units than authorized",
    "Many exceptions",
    "Allowance used at once",
    "graded worse than",
    "of the allowance (",
)
MISMATCH = "3 lines were graded worse than their stated condition at inspection"


@pytest.fixture
def net(db_session, monkeypatch):
    # The data set's figures are computed for 7 Dec 2026.
    monkeypatch.setattr(pages, "utcnow", lambda: datetime(2026, 12, 7, 12, tzinfo=UTC))
    built = build(db_session)
    built.rmas["a2"].approver_user_id = built.rep.id
    db_session.flush()
    return built


def test_the_rep_sees_signals_on_the_approval_queue(client, login_as, net):
    login_as(net.rep)
    page = client.get("/approvals/").get_data(as_text=True)
    assert "RMA-SIG-A2" in page
    assert "5 risk signals" in page and MISMATCH in page


def test_the_rma_page_shows_signals_to_staff_only(client, login_as, net):
    login_as(net.rep)
    page = client.get("/rmas/RMA-SIG-A2").get_data(as_text=True)
    assert "Risk signals" in page and MISMATCH in page
    login_as(net.admin)
    assert MISMATCH in client.get("/rmas/RMA-SIG-A2").get_data(as_text=True)
    login_as(net.warehouse)
    page = client.get("/rmas/RMA-SIG-A2").get_data(as_text=True)
    assert "RMA-SIG-A2" in page and "Risk signals" not in page
    login_as(net.retailer)
    page = client.get("/rmas/RMA-SIG-A2").get_data(as_text=True)
    assert "RMA-SIG-A2" in page
    assert not [words for words in SIGNAL_WORDS if words in page]


def test_the_account_pages_show_signals_in_scope(client, login_as, net):
    login_as(net.admin)
    page = client.get(f"/admin/accounts/{net.a.id}").get_data(as_text=True)
    assert MISMATCH in page
    quiet = client.get(f"/admin/accounts/{net.c.id}").get_data(as_text=True)
    assert "No risk signals for this account." in quiet
    login_as(net.rep)
    assert MISMATCH in client.get(f"/rep/accounts/{net.a.id}").get_data(as_text=True)
    login_as(net.other_rep)
    assert client.get(f"/rep/accounts/{net.a.id}").status_code == 404


def _same_site_links(html: str) -> list[str]:
    return [
        href
        for href in re.findall(r'href="([^"#]+)"', html)
        if href.startswith("/") and not href.startswith("/static/")
    ]


def _crawl_without_signals(client, start: list[str], limit: int = 80) -> set[str]:
    seen, queue = set(), deque(start)
    while queue and len(seen) < limit:
        url = queue.popleft()
        path = urlsplit(url).path
        if url in seen or path.endswith((".pdf", ".csv")) or "/logout" in path:
            continue
        seen.add(url)
        response = client.get(url, follow_redirects=True)
        if response.mimetype != "text/html":
            continue
        page = response.get_data(as_text=True)
        assert not [words for words in SIGNAL_WORDS if words in page], url
        queue.extend(_same_site_links(page))
    return seen


def test_nothing_a_retailer_reaches_shows_a_signal(client, login_as, net):
    """Every page the retailer of the signalled account reaches by following links."""
    login_as(net.retailer)
    seen = _crawl_without_signals(client, ["/", "/rmas/RMA-SIG-A1", "/rmas/RMA-SIG-A2"])
    assert len(seen) > 5


def test_the_demo_retailer_sees_none_of_the_signals_its_rep_sees(client, login_as, db_session):
    """The demo (with RMAs), as its retailer and its rep meet it."""
    from models import RetailerAccount, User
    from portal.demo import DEMO_LOGINS, SCALES, load_demo
    from portal.demo.accounts import SHOWCASE_NUMBER

    load_demo(db_session, scale=SCALES["tiny"], today=date.today())
    emails = {role: email for role, email, _password in DEMO_LOGINS}
    showcase = db_session.scalar(
        select(RetailerAccount).where(RetailerAccount.number == SHOWCASE_NUMBER)
    )
    rep = db_session.scalar(select(User).where(User.email == emails["Sales rep"]))
    login_as(rep)
    page = client.get(f"/rep/accounts/{showcase.id}").get_data(as_text=True)
    assert "Risk signals" in page and 'class="tag tag-signal"' in page
    numbers = re.findall(
        r'href="(/rmas/RMA-[0-9-]+)"', client.get("/requests/").get_data(as_text=True)
    )
    login_as(db_session.scalar(select(User).where(User.email == emails["Retailer"])))
    seen = _crawl_without_signals(client, ["/", "/requests/", *numbers[:5]], limit=120)
    assert len(seen) > 10


VALID = {
    "period_days": "180",
    "return_rate_on": "y",
    "return_rate_percentile": "95",
    "repeat_sku_on": "y",
    "repeat_sku_times": "4",
    "mismatch_lines": "2",
    "over_receipt_on": "y",
    "over_receipt_lines": "3",
    "exceptions_on": "y",
    "exceptions_requested": "5",
    "exceptions_approved_percent": "50",
    "rotation_rush_on": "y",
    "rotation_rush_percent": "80",
    "rotation_rush_days": "10",
}


def test_an_admin_sets_the_thresholds(client, login_as, db_session, net):
    login_as(net.admin)
    form = client.get("/admin/settings/risk-signals").get_data(as_text=True)
    assert 'name="repeat_sku_times"' in form and 'value="3"' in form
    response = client.post("/admin/settings/risk-signals", data=VALID)
    assert response.status_code == 303
    saved = load_thresholds(db_session)
    assert saved.period_days == 180 and saved.repeat_sku_times == 4
    assert saved.condition_mismatch_on is False  # its box was left unticked
    assert (saved.rotation_rush_percent, saved.rotation_rush_days) == (80, 10)
    # Switched off, the mismatch is no longer shown.
    page = client.get(f"/admin/accounts/{net.a.id}").get_data(as_text=True)
    assert "graded worse than" not in page


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("repeat_sku_times", "1"),  # just below its bound
        ("return_rate_percentile", "100"),  # just above
        ("period_days", "ninety"),
        ("rotation_rush_days", ""),
        ("exceptions_approved_percent", "-1"),
    ],
)
def test_a_threshold_out_of_bounds_is_refused_and_nothing_changes(
    client, login_as, db_session, net, field, value
):
    login_as(net.admin)
    response = client.post("/admin/settings/risk-signals", data={**VALID, field: value})
    assert response.status_code == 422
    assert 'class="field has-error"' in response.get_data(as_text=True)
    assert db_session.scalar(select(RiskSignalSettings)) is None


def test_the_bounds_are_accepted_at_their_edges(client, login_as, db_session, net):
    login_as(net.admin)
    edges = {**VALID, "repeat_sku_times": "2", "return_rate_percentile": "99", "period_days": "730"}
    assert client.post("/admin/settings/risk-signals", data=edges).status_code == 303
    saved = load_thresholds(db_session)
    assert (saved.repeat_sku_times, saved.return_rate_percentile) == (2, 99)


def test_only_admins_reach_the_thresholds(client, login_as, net):
    login_as(net.rep)
    assert client.get("/admin/settings/risk-signals").status_code == 403
    login_as(net.admin)
    assert 'href="/admin/settings/risk-signals"' in client.get("/admin/").get_data(as_text=True)
