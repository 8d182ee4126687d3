"""Default workflow templates, shipped as JSON package data."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

# name → title shown when a distributor picks a template for a new return type.
TEMPLATES: dict[str, str] = {
    "stock_rotation": "Stock rotation",
    "defective_warranty": "Defective / warranty",
    "damaged_in_transit": "Damaged in transit",
    "wrong_item": "Wrong item shipped",
}


def template_names() -> list[str]:
    """The names of the shipped templates, in the order they are offered."""
    return list(TEMPLATES)


def load_template(name: str) -> dict[str, Any]:
    """A fresh copy of the template's workflow document; KeyError for unknown names."""
    if name not in TEMPLATES:
        raise KeyError(f"no workflow template named {name!r}")
    text = resources.files(__name__).joinpath(f"{name}.json").read_text(encoding="utf-8")
    doc: dict[str, Any] = json.loads(text)
    return doc
