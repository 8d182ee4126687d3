"""The registry: what is registered, how features add to it, what the designer lists."""

from __future__ import annotations

import pytest

from workflow_designer.engine.base import ActionBase, GuardBase, GuardResult
from workflow_designer.engine.errors import UnknownName
from workflow_designer.engine.registry import REGISTRY, Registry

GUARDS = [
    "account_in_good_standing",
    "all_lines_received",
    "exception_requested",
    "has_discrepancy",
    "inspection_complete",
    "policy_passed",
    "resolution_is",
    "value_at_least",
    "value_below",
]


def test_the_required_guards_and_actions_are_registered():
    assert REGISTRY.guard_names() == GUARDS
    assert set(REGISTRY.action_names()) == {
        "assign_approver",
        "notify",
        "set_due",
        "issue_label",
        "restock",
        "issue_credit",
        "create_replacement_order",
    }


@pytest.mark.parametrize("name", ["buy_carrier_label", "send_to_carrier", "refund_card"])
def test_actions_the_product_cannot_perform_yet_are_not_registered(name):
    assert not REGISTRY.has_action(name)
    with pytest.raises(UnknownName):
        REGISTRY.action(name)


@pytest.mark.parametrize("name", ["os.system", "builtins.print", None, ["notify"], 3])
def test_lookups_of_anything_else_raise(name):
    assert not REGISTRY.has_guard(name) and not REGISTRY.has_action(name)
    with pytest.raises(UnknownName):
        REGISTRY.guard(name)
    with pytest.raises(UnknownName):
        REGISTRY.action(name)


def test_describe_lists_every_entry_for_the_designer():
    described = REGISTRY.describe()
    assert [g["name"] for g in described["guards"]] == GUARDS
    value_at_least = next(g for g in described["guards"] if g["name"] == "value_at_least")
    assert value_at_least["label"] == "Value at least"
    assert value_at_least["description"]
    assert value_at_least["params"][0]["type"] == "decimal"
    notify = next(a for a in described["actions"] if a["name"] == "notify")
    assert [p["name"] for p in notify["params"]] == ["to", "template"]
    assert "rma_authorized" in notify["params"][1]["choices"]
    for entry in described["guards"] + described["actions"]:
        assert entry["label"] and entry["description"].endswith(".")


class BuyCarrierLabel(ActionBase):
    name = "buy_carrier_label"
    label = "Issue label"
    description = "Buy a carrier label."
    needs_session = True


def test_a_feature_registers_its_action_later():
    registry = REGISTRY.copy()
    assert registry.register_action(BuyCarrierLabel) is BuyCarrierLabel
    assert isinstance(registry.action("buy_carrier_label"), BuyCarrierLabel)
    assert not REGISTRY.has_action("buy_carrier_label")  # the copy is independent


def test_registering_twice_or_the_wrong_kind_is_refused():
    registry = Registry()
    registry.register_action(BuyCarrierLabel)
    with pytest.raises(ValueError, match="already registered"):
        registry.register_action(BuyCarrierLabel)
    with pytest.raises(TypeError):
        registry.register_guard(BuyCarrierLabel)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        registry.register_action(print)  # type: ignore[arg-type]


def test_names_must_be_simple_identifiers():
    class Dotted(GuardBase):
        name = "os.system"
        label = description = "x"

        def check(self, ctx, **params):
            return GuardResult(True, "")

    with pytest.raises(ValueError, match="simple lower-case name"):
        Registry().register_guard(Dotted)


def test_register_works_as_a_decorator():
    registry = Registry()

    @registry.register_guard
    class Always(GuardBase):
        name = "always"
        label = "Always"
        description = "Always passes."

    assert registry.guard_names() == ["always"]
