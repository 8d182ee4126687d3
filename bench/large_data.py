"""Make (or reuse) the large data set the load benchmark runs on.

Creates the PostgreSQL database named by the URL when it is missing, brings its schema
up to date, and loads ``rotaflow demo --scale large`` (2 M order lines, 200 k RMAs;
about a quarter of an hour on 2 cores) only into an empty database, so a second run
reuses the first's data.
"""

from __future__ import annotations

import os
import subprocess
import sys

from sqlalchemy import create_engine, make_url, text


def ensure_database(url: str) -> None:
    target = make_url(url)
    server = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            exists = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": target.database},
            )
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    finally:
        server.dispose()


def main() -> None:
    url = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("ROTAFLOW_DATABASE_URL")
    if not url:
        raise SystemExit("give the database URL or set ROTAFLOW_DATABASE_URL")
    ensure_database(url)
    # The demo loader is a development command; the benchmark serves it as production.
    env = {**os.environ, "ROTAFLOW_DATABASE_URL": url, "ROTAFLOW_ENV": "development"}
    rotaflow = os.path.join(os.path.dirname(sys.executable), "rotaflow")
    subprocess.run([rotaflow, "db", "upgrade"], env=env, check=True)
    subprocess.run([rotaflow, "demo", "--scale", "large", "--if-empty"], env=env, check=True)


if __name__ == "__main__":
    main()
