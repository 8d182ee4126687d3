"""The policy rules: one module per rule in this package, each registering its class.

Importing the package imports every module in it, so adding a rule is adding a module
(``base`` holds what the rules share and registers nothing).
"""

from __future__ import annotations

import importlib
import pkgutil

from workflow_designer.policy.rules.base import (
    RULES,
    CreditRule,
    Outcome,
    Params,
    PolicyRule,
    register_rule,
)


def _import_rule_modules() -> None:
    for module in pkgutil.iter_modules(__path__):
        if module.name != "base":
            importlib.import_module(f"{__name__}.{module.name}")


_import_rule_modules()

__all__ = ["RULES", "CreditRule", "Outcome", "Params", "PolicyRule", "register_rule"]
