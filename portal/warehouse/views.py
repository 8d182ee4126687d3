"""The warehouse area: receiving at the dock, inspection and grading, stock by grade;
and units held apart, decided on by reps and shipped back by the warehouse.

Warehouse staff and admins reach ``bp`` (checked once for the blueprint); what each may
do to an RMA is the workflow's decision (``options_for``). Held units have a blueprint of
their own (``held_bp``), which reps reach too. The views live in the ``views_*``
modules; this module registers every route, in the URL tables below.
"""

from __future__ import annotations

from flask import Blueprint

from models import Role
from portal.auth.access import restrict_blueprint
from portal.warehouse import (
    views_corrections,
    views_grading,
    views_held,
    views_queues,
    views_receiving,
    views_rma,
    views_stock,
)

bp = Blueprint("warehouse", __name__)
restrict_blueprint(bp, Role.WAREHOUSE, Role.ADMIN)
held_bp = Blueprint("held", __name__)
restrict_blueprint(held_bp, Role.ADMIN, Role.SALES_REP, Role.WAREHOUSE)

# Runs before the CSRF check reads the body: a grading post carries one photo at most.
bp.url_value_preprocessor(views_grading.limit_upload_size)

RMA = "/rmas/<number:number>"
LINE = f"{RMA}/lines/<id:line_id>"
HELD = f"/<number:number>/<{views_held.KINDS}:kind>/<id:target_id>"

# The URL tables: every route of the area, by rule, endpoint, view and methods.
bp.add_url_rule("/", "home", views_stock.home, methods=["GET"])
bp.add_url_rule("/b-stock", "b_stock", views_stock.b_stock, methods=["GET"])
bp.add_url_rule("/b-stock.csv", "b_stock_csv", views_stock.b_stock_csv, methods=["GET"])
bp.add_url_rule("/receive", "receiving", views_queues.receiving, methods=["GET"])
bp.add_url_rule("/awaiting", "awaiting", views_queues.awaiting, methods=["GET"])
bp.add_url_rule("/inspection", "inspection_queue", views_queues.inspection_queue, methods=["GET"])
bp.add_url_rule(RMA, "rma", views_rma.rma, methods=["GET"])
bp.add_url_rule(f"{RMA}/actions", "action", views_rma.action, methods=["POST"])
bp.add_url_rule(f"{RMA}/receive", "receive_post", views_receiving.receive_post, methods=["POST"])
bp.add_url_rule(
    f"{RMA}/unexpected-row", "unexpected_row", views_receiving.unexpected_row, methods=["GET"]
)
bp.add_url_rule(f"{LINE}/grade", "grade", views_grading.grade, methods=["POST"])
bp.add_url_rule(f"{LINE}/correct", "correct", views_corrections.correct, methods=["POST"])

held_bp.add_url_rule("/", "queue", views_held.queue, methods=["GET"])
held_bp.add_url_rule(f"{HELD}/decide", "decide", views_held.decide, methods=["POST"])
held_bp.add_url_rule(f"{HELD}/shipped", "shipped", views_held.shipped, methods=["POST"])
