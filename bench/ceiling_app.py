"""The ceiling for ``bench/load.py``: a bare Flask + SQLAlchemy page listing 50 rows.

No login, no layout, no CSRF, no extensions: one ORM query for the 50 newest order lines
of the database named by ``ROTAFLOW_DATABASE_URL``, rendered by a small Jinja template.
A real page cannot be faster than this on the same server settings, so the benchmark
reports each page's throughput as a fraction of it. Served as::

    gunicorn 'bench.ceiling_app:create_app()'
"""

from __future__ import annotations

import os

from flask import Flask, render_template
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from models import OrderLine
from portal.db import make_engine

ROWS = 50
TEMPLATE = """<!doctype html>
<title>Order lines</title>
<table>
  <tr><th>Line</th><th>Order</th><th>Product</th><th>Quantity</th><th>Price</th></tr>
  {% for line in lines %}
  <tr><td>{{ line.id }}</td><td>{{ line.order_id }}</td><td>{{ line.product_id }}</td>
      <td>{{ line.quantity }}</td><td>{{ line.unit_net_price }}</td></tr>
  {% endfor %}
</table>
"""


def create_app() -> Flask:
    app = Flask(__name__)
    # The app's own engine settings (pool, pre-ping), so only the page differs.
    sessions = sessionmaker(make_engine(os.environ["ROTAFLOW_DATABASE_URL"]))
    # Compiled once, as the app's file templates are: a fair ceiling renders, not compiles.
    template = app.jinja_env.from_string(TEMPLATE)

    @app.route("/")
    def order_lines():
        with sessions() as session:
            lines = session.scalars(
                select(OrderLine).order_by(OrderLine.id.desc()).limit(ROWS)
            ).all()
            return render_template(template, lines=lines)

    return app
