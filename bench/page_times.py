"""Server-side time of the main pages on a large database, one request at a time.

Usage, after ``rotaflow demo --scale large`` into that database::

    .venv/bin/python bench/page_times.py postgresql+psycopg://…/rotaflow [--repeat 5]

Each page is requested through Flask's test client (no HTTP server, no network) as the
demo user of the right role: once to warm caches, then ``--repeat`` times; the median is
printed. Use it to find the slow query of a page; throughput under load is another matter.
"""

from __future__ import annotations

import argparse
import statistics
import time

from sqlalchemy import select

from models import Rma, User
from portal import create_app
from portal.db import get_session
from portal.demo import DEMO_LOGINS

ROLES = {"Admin": "admin", "Sales rep": "rep", "Warehouse": "warehouse", "Retailer": "retailer"}


def pages(retailer_account: int, own_rma: str, arriving_rma: str) -> list[tuple[str, str]]:
    return [
        ("retailer", "/account/"),
        ("retailer", "/requests/"),
        ("retailer", f"/rmas/{own_rma}"),
        ("retailer", "/credits/"),
        ("rep", "/rep/"),
        ("rep", "/approvals/"),
        ("rep", "/requests/"),
        ("admin", "/admin/rmas"),
        ("admin", "/admin/"),
        ("admin", f"/admin/accounts/{retailer_account}"),
        ("admin", "/admin/users"),
        ("admin", "/admin/products"),
        ("admin", "/credits/"),
        ("admin", "/designer/"),
        ("warehouse", "/warehouse/"),
        ("warehouse", "/warehouse/receive"),
        ("warehouse", f"/warehouse/rmas/{arriving_rma}"),
        ("warehouse", "/warehouse/b-stock"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    app = create_app(
        {
            "ENV": "development",
            "DATABASE_URL": args.database_url,
            "SECRET_KEY": "page-times",
            "SERVER_NAME": "localhost",
            "THROTTLE_ENABLED": False,
        }
    )
    with app.app_context():
        session = get_session()
        users = {
            ROLES[role]: session.scalar(select(User).where(User.email == email))
            for role, email, _password in DEMO_LOGINS
        }
        account = users["retailer"].account_id
        newest = select(Rma.number).order_by(Rma.id.desc()).limit(1)
        own = session.scalar(newest.where(Rma.account_id == account))
        arriving = session.scalar(newest.where(Rma.state == "awaiting_receipt"))
        user_ids = {role: user.id for role, user in users.items()}
    for role, url in pages(account, own, arriving):
        client = app.test_client()
        with client.session_transaction() as cookie:
            cookie["_user_id"] = str(user_ids[role])
            cookie["_fresh"] = True
        client.get(url)
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            status = client.get(url).status_code
            times.append((time.perf_counter() - started) * 1000)
        print(f"{role:<10} {url:<40} {status}  median {statistics.median(times):7.1f} ms")


if __name__ == "__main__":
    main()
