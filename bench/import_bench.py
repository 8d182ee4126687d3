"""Time ``import_csv(session, "orders", …)`` on a generated ERP export.

Usage (against a database holding accounts and products, e.g. after
``rotaflow demo --scale large``)::

    .venv/bin/python bench/import_bench.py postgresql+psycopg://…/rotaflow --lines 1000000

The file (invoices of 10 lines over the stored accounts and SKUs, same seed → same file)
is written to a temporary directory first; only the import is timed. The import runs in
one transaction that is rolled back afterwards, so the database is left as it was.
``--profile`` prints the 25 most expensive functions instead.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import pstats
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Product, RetailerAccount
from portal.db import make_engine
from portal.erp.importing import import_csv

HEADER = [
    "invoice_number", "account_number", "invoice_date", "delivery_date", "currency",
    "line_number", "sku", "quantity", "unit_net_price",
]  # fmt: skip


def write_export(session: Session, path: Path, lines: int, seed: int = 8) -> None:
    rng = random.Random(seed)
    accounts = session.execute(select(RetailerAccount.number, RetailerAccount.currency)).all()
    skus = session.scalars(select(Product.sku)).all()
    if not accounts or not skus:
        raise SystemExit("the database has no accounts or products: load the demo first")
    start = date(2025, 1, 2)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range((lines + 9) // 10):
            number, currency = rng.choice(accounts)
            invoiced = start + timedelta(days=n % 600)
            delivered = invoiced + timedelta(days=2)
            for line in range(1, min(10, lines - n * 10) + 1):
                price = f"{rng.randint(2000, 40000) / 100:.2f}"
                writer.writerow([
                    f"BENCH-{n:07d}", number, invoiced.isoformat(), delivered.isoformat(),
                    currency, line, rng.choice(skus), rng.randint(1, 4), price,
                ])  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    engine = make_engine(args.database_url)
    with tempfile.TemporaryDirectory() as folder, Session(engine) as session:
        path = Path(folder) / "orders.csv"
        started = time.perf_counter()
        write_export(session, path, args.lines)
        print(f"wrote {args.lines:,} lines in {time.perf_counter() - started:.1f} s")
        profiler = cProfile.Profile() if args.profile else None
        with path.open(encoding="utf-8", newline="") as stream:
            started = time.perf_counter()
            if profiler:
                profiler.enable()
            result = import_csv(session, "orders", stream)
            session.flush()
            if profiler:
                profiler.disable()
            elapsed = time.perf_counter() - started
        session.rollback()
        print(
            f"imported {result.rows:,} rows in {elapsed:.1f} s "
            f"({result.rows / elapsed:,.0f} rows/s): created {result.created:,}, "
            f"updated {result.updated:,}, errors {len(result.errors)}"
        )
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
