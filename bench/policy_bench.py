"""Policy engine benchmark.

Run: .venv/bin/python bench/policy_bench.py [--no-db]

Prints the time to evaluate a 200-line rotation request with every pass/fail rule on
(pure Python, target well under 5 ms), the credit estimate for the same lines, and — on
PostgreSQL — load_facts plus returnable_quantities for 200 order lines of a seeded account
(in a scratch database next to ROTAFLOW_BENCH_DATABASE_URL, created and dropped here).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workflow_designer.policy import (
    AccountFacts,
    PolicyRequest,
    ReplacementRequestLine,
    RequestLine,
    default_policy,
    estimate_credit,
    evaluate,
)

EVALUATE_TARGET_MS = 5.0
TODAY = date(2026, 7, 10)
SCRATCH = "rotaflow_bench_policy"
DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def every_rule_policy() -> dict[str, Any]:
    """The rotation default with the common rules and cooldown switched on as well."""
    policy = default_policy("ROTATION")
    policy["return_window"] = {
        "enabled": True,
        "mode": "exception",
        "days": 730,
        "from": "delivery",
    }
    policy["evidence"] = {"enabled": True, "mode": "blocking", "photos": True, "description": True}
    policy["cooldown"]["enabled"] = True
    policy["restocking_fee"] = {"enabled": True, "percent": "5"}
    policy["exchange_bonus"] = {"enabled": True, "percent": "3"}
    return policy


def rotation_request(lines: int = 200) -> PolicyRequest:
    request_lines = tuple(
        RequestLine(
            sku=f"LUN-{n:05d}",
            quantity=1 + n % 3,
            unit_net_price=Decimal("41.3700") + n,
            invoice_number=f"INV-{n // 10:06d}",
            invoice_date=TODAY - timedelta(days=60 + n * 3),
            delivery_date=TODAY - timedelta(days=57 + n * 3),
            order_line_id=n,
            lifecycle=("active", "discontinued", "clearance")[n % 3],
            brand="Lunetta",
            category="optical",
            condition="used" if n % 4 else "new",
            photos=n % 2,
            description="" if n % 5 else "Slow seller",
        )
        for n in range(lines)
    )
    replacements = tuple(
        ReplacementRequestLine(sku=f"NEW-{n}", quantity=5, unit_price=Decimal("89"), available=4)
        for n in range(20)
    )
    facts = AccountFacts(
        currency="EUR",
        net_purchases=Decimal("184000"),
        allowance_used=Decimal("9100"),
        last_submitted_on=TODAY - timedelta(days=40),
        requests_in_period=1,
    )
    return PolicyRequest(TODAY, request_lines, replacements, facts)


def timed_ms(func: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Median and p95 wall time of ``func`` in milliseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95)]


def report_pure() -> bool:
    policy, request = every_rule_policy(), rotation_request()
    evaluation = evaluate(policy, request)
    failed = sum(not f.passed for f in evaluation.findings)
    median, p95 = timed_ms(lambda: evaluate(policy, request), 500)
    ok = p95 < EVALUATE_TARGET_MS
    print(
        f"evaluate 200 lines, {len(evaluation.findings)} rules ({failed} failing): "
        f"median {median:.3f} ms, p95 {p95:.3f} ms  [{'ok' if ok else 'OVER TARGET'}, "
        f"target < {EVALUATE_TARGET_MS:g}]"
    )
    median, p95 = timed_ms(lambda: estimate_credit(policy, request.lines, "exchange"), 500)
    print(f"estimate_credit 200 lines: median {median:.3f} ms, p95 {p95:.3f} ms")
    return ok


def seed(session, today: date):
    """One account among 50, each with 600 invoiced lines over two years; the account has
    100 RMAs of the rotation type (drafts, pending, closed, rejected, cancelled) of 5 lines."""
    from sqlalchemy import insert

    from models import Order, OrderLine, Rma, RmaLine
    from tests.factories import (
        make_account,
        make_product,
        make_published_workflow,
        make_return_type,
    )

    version = make_published_workflow(session)
    return_type = make_return_type(session, version.workflow_id, policy=every_rule_policy())
    products = [make_product(session) for _ in range(100)]
    accounts = [make_account(session) for _ in range(50)]
    target_lines: list[int] = []
    for a, account in enumerate(accounts):
        orders = session.scalars(
            insert(Order).returning(Order.id),
            [
                {
                    "invoice_number": f"B{a:02d}-{o:04d}",
                    "account_id": account.id,
                    "invoice_date": today - timedelta(days=o * 12),
                    "currency": "EUR",
                }
                for o in range(60)
            ],
        ).all()
        line_rows = [
            {
                "order_id": order_id,
                "line_number": n + 1,
                "product_id": products[(o + n) % 100].id,
                "quantity": 2 + n % 4,
                "unit_net_price": Decimal("38.50") + n,
            }
            for o, order_id in enumerate(orders)
            for n in range(10)
        ]
        ids = session.scalars(insert(OrderLine).returning(OrderLine.id), line_rows).all()
        if a == 0:
            target_lines = list(ids)
    states = ["draft", "rep_review", "authorized", "closed", "rejected", "cancelled"]
    rmas = session.scalars(
        insert(Rma).returning(Rma.id),
        [
            {
                "number": f"RMA-B-{r:05d}",
                "account_id": accounts[0].id,
                "return_type_id": return_type.id,
                "workflow_version_id": version.id,
                "state": states[r % 6],
                "currency": "EUR",
                "total_value": Decimal("420.00"),
                "submitted_at": None
                if r % 6 == 0
                else datetime.combine(today - timedelta(days=r * 7), datetime.min.time(), UTC),
            }
            for r in range(100)
        ],
    ).all()
    session.execute(
        insert(RmaLine),
        [
            {"rma_id": rma_id, "order_line_id": target_lines[r * 5 + k], "quantity_requested": 1}
            for r, rma_id in enumerate(rmas)
            for k in range(5)
        ],
    )
    session.commit()
    sizes = "50 accounts, 30,000 order lines, 100 RMAs with 500 lines on the measured account"
    return accounts[0], return_type, target_lines[:200], sizes


def report_database() -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.orm import Session

    from portal import migrations as schema
    from portal.db import make_engine
    from workflow_designer.runtime.policy_facts import load_facts, returnable_quantities

    server = make_url(os.environ.get("ROTAFLOW_BENCH_DATABASE_URL", DEFAULT_SERVER))
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{SCRATCH}"'))
    url = server.set(database=SCRATCH).render_as_string(hide_password=False)
    schema.upgrade(url)
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            account, return_type, line_ids, sizes = seed(session, TODAY)
            print(f"seeded: {sizes}")
            policy = every_rule_policy()

            def both() -> None:
                load_facts(session, account, return_type, policy, TODAY)
                returnable_quantities(session, line_ids)

            facts = load_facts(session, account, return_type, policy, TODAY)
            print(
                f"  facts: net purchases €{facts.net_purchases:,.2f}, allowance used "
                f"€{facts.allowance_used:,.2f}, {facts.requests_in_period} requests in period"
            )
            median, p95 = timed_ms(
                lambda: load_facts(session, account, return_type, policy, TODAY), 200
            )
            print(f"load_facts (2 queries): median {median:.2f} ms, p95 {p95:.2f} ms")
            median, p95 = timed_ms(lambda: returnable_quantities(session, line_ids), 200)
            label = "returnable_quantities, 200 ids (1 query)"
            print(f"{label}: median {median:.2f} ms, p95 {p95:.2f} ms")
            median, p95 = timed_ms(both, 200)
            print(f"load_facts + returnable_quantities: median {median:.2f} ms, p95 {p95:.2f} ms")
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)'))
        admin.dispose()


def main() -> int:
    ok = report_pure()
    if "--no-db" not in sys.argv:
        report_database()
    return 0 if ok else 1


if __name__ == "__main__":
    print(f"started {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    raise SystemExit(main())
