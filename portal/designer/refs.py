"""Guard and action rows in the editor's forms, built from ``REGISTRY.describe()``.

A row is posted as ``<kind>-<key>-name`` plus ``<kind>-<key>-<param>`` for each parameter
the chosen entry declares; ``key`` is any short token, and rows keep the order they were
posted in. Parameters are parsed by the registry entry itself, so the form accepts exactly
what the validator and the compiler accept.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from portal.inputs.text import unstorable
from workflow_designer.engine.errors import ParamError
from workflow_designer.engine.registry import REGISTRY

KINDS = {"guards": "guard", "actions": "action", "on_enter": "action"}
_INT = re.compile(r"-?\d+")


@dataclass
class RefRow:
    """One row as the template renders it: the entry chosen, raw values and an error."""

    key: str
    name: str = ""
    values: dict[str, str] = field(default_factory=dict)
    error: str = ""


def describe(kind: str) -> dict[str, dict[str, Any]]:
    """name → the registry's description (label, description, params) for guards or actions."""
    entries = REGISTRY.describe()["guards" if kind == "guard" else "actions"]
    return {entry["name"]: entry for entry in entries}


def new_key() -> str:
    return secrets.token_hex(3)


def rows_from_refs(refs: list[dict[str, Any]], kind: str) -> list[RefRow]:
    """Rows showing the references a document already holds."""
    rows = []
    for ref in refs:
        params = ref.get("params") if isinstance(ref.get("params"), dict) else {}
        values = {k: str(v) for k, v in params.items()}
        rows.append(RefRow(new_key(), str(ref.get(kind, "")), values))
    return rows


def parse_rows(formdata: MultiDict, prefix: str) -> tuple[list[dict[str, Any]], list[RefRow], bool]:
    """The references posted under ``prefix``, the rows to re-render, and whether all parsed."""
    kind = KINDS[prefix]
    pattern = re.compile(rf"^{prefix}-([a-z0-9]+)-name$")
    refs: list[dict[str, Any]] = []
    rows: list[RefRow] = []
    ok = True
    for name in formdata:
        match = pattern.match(name)
        if match is None or not formdata.get(name):
            continue
        row = _parse_row(formdata, prefix, match.group(1), formdata.get(name, ""), kind)
        rows.append(row)
        if row.error:
            ok = False
        else:
            refs.append(_ref(row, kind))
    return refs, rows, ok


def _parse_row(formdata: MultiDict, prefix: str, key: str, name: str, kind: str) -> RefRow:
    entries = describe(kind)
    row = RefRow(key, name)
    entry = entries.get(name)
    if entry is None:
        row.error = (
            _("Choose one of the listed guards.")
            if kind == "guard"
            else _("Choose one of the listed actions.")
        )
        return row
    for spec in entry["params"]:
        row.values[spec["name"]] = (formdata.get(f"{prefix}-{key}-{spec['name']}") or "").strip()
    if any(unstorable(value) for value in row.values.values()):
        row.error = _("A value contains characters that can't be stored (control characters).")
        return row
    registered = REGISTRY.guard(name) if kind == "guard" else REGISTRY.action(name)
    try:
        registered.parse_params(_typed(row.values, entry))
    except ParamError as exc:
        row.error = _plain(str(exc), entry)
    return row


def _typed(values: dict[str, str], entry: dict[str, Any]) -> dict[str, Any]:
    typed: dict[str, Any] = {}
    for spec in entry["params"]:
        raw = values.get(spec["name"], "")
        typed[spec["name"]] = int(raw) if spec["type"] == "int" and _INT.fullmatch(raw) else raw
    return typed


def _ref(row: RefRow, kind: str) -> dict[str, Any]:
    entry = describe(kind)[row.name]
    ref: dict[str, Any] = {kind: row.name}
    if entry["params"]:
        ref["params"] = _typed(row.values, entry)
    return ref


def _plain(message: str, entry: dict[str, Any]) -> str:
    """``guard 'value_at_least', parameter 'amount': …`` → ``Value at least — amount: …``."""
    for spec in entry["params"]:
        message = message.replace(f"parameter '{spec['name']}'", spec["name"].replace("_", " "))
    return re.sub(r"^(guard|action) '[a-z_]+', ", f"{entry['label']}: ", message)
