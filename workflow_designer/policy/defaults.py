"""The policies the default return types start with; admins change them in the designer.

Rules a distributor commonly uses but these types leave off are included switched off, so
the designer shows sensible settings when someone switches them on.
"""

from __future__ import annotations

import copy
from typing import Any

from workflow_designer.policy.spec import DEFAULT_DISPOSITIONS, GRADE_LABELS


def _grades(**percents: str) -> dict[str, Any]:
    """Grade deductions: the given percentages (others 0) and the usual dispositions."""
    return {
        "enabled": True,
        "percent": {grade: percents.get(grade, "0") for grade in GRADE_LABELS},
        "disposition": dict(DEFAULT_DISPOSITIONS),
    }


def _off(**params: Any) -> dict[str, Any]:
    return {"enabled": False, **params}


_ROTATION: dict[str, Any] = {
    "eligible_products": {
        "enabled": True,
        "mode": "exception",
        # Clearance frames were sold at a discount: not rotated for full credit.
        "lifecycles": ["active", "discontinued"],
        "brands": [],
        "categories": [],
    },
    "request_size": {"enabled": True, "mode": "blocking", "min_units": 10, "max_units": None},
    "allowance": {"enabled": True, "mode": "exception", "percent": "15", "period_days": 365},
    "replacement_order": {
        "enabled": True,
        "mode": "exception",
        "min_ratio_percent": "100",
        "min_amount": None,
    },
    "purchase_age": {"enabled": True, "mode": "exception", "min_days": 90, "max_days": 730},
    "calendar_windows": {
        "enabled": True,
        "mode": "exception",
        "windows": [{"start": "01-01", "end": "02-15"}, {"start": "07-01", "end": "08-15"}],
    },
    "cooldown": _off(mode="exception", days=90),
    "request_frequency": {
        "enabled": True,
        "mode": "exception",
        "max_requests": 2,
        "period_days": 365,
    },
    "restocking_fee": _off(percent="0"),
    "grade_deductions": _grades(
        used="20", lightly_damaged="40", heavily_damaged="100", defective="100"
    ),
    # Taking new stock instead of a credit earns 5 %, towards the replacement order only.
    "exchange_bonus": {"enabled": True, "percent": "5", "amount": None},
}

_DEFECTIVE: dict[str, Any] = {
    # Two years of warranty from delivery.
    "return_window": {"enabled": True, "mode": "exception", "days": 730, "from": "delivery"},
    "evidence": {"enabled": True, "mode": "blocking", "photos": True, "description": True},
    "restocking_fee": _off(percent="0"),
    "grade_deductions": _grades(),
    "exchange_bonus": _off(percent="0"),
}

_DAMAGED: dict[str, Any] = {
    "return_window": {"enabled": True, "mode": "exception", "days": 14, "from": "delivery"},
    "evidence": {"enabled": True, "mode": "blocking", "photos": True, "description": False},
    "grade_deductions": _grades(),
}

_WRONG_ITEM: dict[str, Any] = {
    "return_window": {"enabled": True, "mode": "exception", "days": 30, "from": "delivery"},
    # The frame was never ours to sell; wear after receipt is the retailer's.
    "grade_deductions": _grades(used="30", lightly_damaged="50", heavily_damaged="100"),
}

_OTHER: dict[str, Any] = {"grade_deductions": _grades()}

DEFAULT_POLICIES: dict[str, dict[str, Any]] = {
    "ROTATION": _ROTATION,
    "DEFECTIVE": _DEFECTIVE,
    "DAMAGED": _DAMAGED,
    "WRONG_ITEM": _WRONG_ITEM,
}


def default_policy(code: str) -> dict[str, Any]:
    """A fresh copy of the default policy for a return type code (any other code: no limits,
    full credit, the usual dispositions)."""
    return copy.deepcopy(DEFAULT_POLICIES.get(code, _OTHER))
