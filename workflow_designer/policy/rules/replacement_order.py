"""Replacement order: new stock ordered with the request, worth at least a share of it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from workflow_designer.policy import words
from workflow_designer.policy.money import percent_of, round_money
from workflow_designer.policy.request import PolicyRequest
from workflow_designer.policy.rules.base import (
    Outcome,
    Params,
    PolicyRule,
    listing,
    register_rule,
)
from workflow_designer.policy.spec import MAX_AMOUNT, ParamSpec, percent_param
from workflow_designer.policy.words import gettext as _
from workflow_designer.policy.words import lazy_gettext as _l


@register_rule
class ReplacementOrder(PolicyRule):
    name = "replacement_order"
    label = _l("Replacement order")
    description = _l(
        "New stock must be ordered with the request, worth at least a ratio of the returned "
        "value and/or a fixed amount; replacement products must be active and in stock."
    )
    group = "rotation"
    order = 60
    params = (
        percent_param(
            "min_ratio_percent",
            # The sign as a value: "% o" would read as a format placeholder to the catalog.
            _l("Minimum ratio (%(sign)s of returned value)", sign="%"),
            _l("E.g. 100 for an order worth at least what is returned."),
            required=False,
            maximum=1000,
        ),
        ParamSpec(
            "min_amount",
            _l("Minimum amount"),
            "decimal",
            _l("In the account's currency."),
            False,
            Decimal(0),
            MAX_AMOUNT,
        ),
    )

    def check(self, params: Params, request: PolicyRequest) -> Outcome:
        ratio, amount = params["min_ratio_percent"], params["min_amount"]
        currency = request.currency
        returned = round_money(request.value, currency)
        required = _required(ratio, amount, returned, currency)
        ordered = round_money(
            sum((line.value for line in request.replacement_lines), Decimal(0)), currency
        )
        inactive = [line.sku for line in request.replacement_lines if line.lifecycle != "active"]
        # An inactive product is refused whatever its stock: name it once.
        short = [
            line
            for line in request.replacement_lines
            if line.lifecycle == "active" and line.available < line.quantity
        ]
        figures: dict[str, Any] = {
            "currency": currency,
            "min_ratio_percent": None if ratio is None else str(ratio),
            "min_amount": None if amount is None else str(amount),
            "returned_value": str(returned),
            "required": str(required),
            "ordered": str(ordered),
            "shortfall": str(max(required - ordered, round_money(Decimal(0), currency))),
            "inactive": inactive,
            "short_of_stock": [
                {"sku": line.sku, "quantity": line.quantity, "available": line.available}
                for line in short
            ],
        }

        def money(value: Decimal) -> str:
            return words.money(value, currency)

        basis = []
        if ratio is not None:
            basis.append(
                _(
                    "%(percent)s of %(returned)s returned",
                    percent=words.percent(ratio),
                    returned=money(returned),
                )
            )
        if amount is not None:
            basis.append(_("minimum %(amount)s", amount=money(round_money(amount, currency))))
        values = {
            "ordered": money(ordered),
            "required": money(required),
            "basis": ", ".join(basis),
        }
        if ordered < required:
            text = _(
                "Replacement order: %(ordered)s ordered, at least %(required)s required "
                "(%(basis)s), %(to_go)s to go",
                to_go=money(required - ordered),
                **values,
            )
        else:
            text = _(
                "Replacement order: %(ordered)s ordered, at least %(required)s required "
                "(%(basis)s)",
                **values,
            )
        if inactive:
            text += _("; not active: %(skus)s", skus=listing(inactive))
        if short:
            stock = listing(
                _("%(sku)s (%(available)s in stock)", sku=line.sku, available=line.available)
                for line in short
            )
            text += _("; not enough stock: %(skus)s", skus=stock)
        passed = ordered >= required and not inactive and not short
        return Outcome(passed, text, figures)

    def explain(self, params: Params, currency: str, today: date) -> str:
        ratio, amount = params["min_ratio_percent"], params["min_amount"]
        share = ratio is not None and _(
            "%(percent)s of the value you return", percent=words.percent(ratio)
        )
        fixed = amount is not None and words.money(amount, currency)
        if share and fixed:
            return _(
                "With each request, order new stock (active products in stock) worth at least "
                "%(share)s and at least %(amount)s.",
                share=share,
                amount=fixed,
            )
        return _(
            "With each request, order new stock (active products in stock) worth at least "
            "%(minimum)s.",
            minimum=share or fixed or "",
        )

    def check_together(self, params: Params) -> list[tuple[str, str]]:
        if all(value is None for value in params.values()):
            return [("min_ratio_percent", _("set a minimum ratio, a minimum amount or both"))]
        return []


def _required(
    ratio: Decimal | None, amount: Decimal | None, returned: Decimal, currency: str
) -> Decimal:
    """The larger of the ratio of the returned value and the fixed minimum."""
    by_ratio = round_money(percent_of(ratio, returned), currency) if ratio is not None else None
    by_amount = round_money(amount, currency) if amount is not None else None
    candidates = [v for v in (by_ratio, by_amount) if v is not None]
    return max(candidates, default=Decimal(0))
