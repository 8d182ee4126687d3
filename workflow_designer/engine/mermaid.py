"""``to_mermaid(doc)``: a Mermaid stateDiagram-v2 of a workflow, for the designer's live view.

Drafts being edited are often invalid, so this draws whatever parts it can read and skips
the rest; the validator is what reports the problems.
"""

from __future__ import annotations

import re
from typing import Any

from workflow_designer.engine.schema import is_name

CLASS_DEFS: dict[str, str] = {
    "initial": "fill:#dbeafe,stroke:#1d4ed8,color:#1e3a8a",
    "approval": "fill:#fef3c7,stroke:#b45309,color:#78350f",
    "final": "fill:#e5e7eb,stroke:#374151,color:#111827",
    "normal": "fill:#ffffff,stroke:#6b7280,color:#111827",
}
LABEL_LIMIT = 80
_SAFE_PUNCTUATION = set(" .,()'/&+?!%-")


def to_mermaid(doc: Any) -> str:
    """The Mermaid source for ``doc``; never raises, whatever the document holds."""
    doc = doc if isinstance(doc, dict) else {}
    states = _states(doc.get("states"))
    initial = doc.get("initial")
    initial = initial if isinstance(initial, str) and initial in states else None
    lines = ["stateDiagram-v2"]
    lines += [f"    classDef {kind} {style}" for kind, style in CLASS_DEFS.items()]
    lines += [f'    state "{text(label)}" as {node(name)}' for name, (label, _) in states.items()]
    if initial:
        lines.append(f"    [*] --> {node(initial)}")
    lines += _edges(doc.get("transitions"), states)
    lines += [f"    {node(n)} --> [*]" for n, (_, kind) in states.items() if kind == "final"]
    lines += _classes(states, initial)
    return "\n".join(lines) + "\n"


def node(name: str) -> str:
    """The Mermaid id of a state; prefixed so names like ``end`` or ``state`` stay ids."""
    return f"s_{name}"


def text(value: Any) -> str:
    """``value`` reduced to characters that cannot break Mermaid syntax."""
    raw = value if isinstance(value, str) else ""
    kept = "".join(c if c.isalnum() or c in _SAFE_PUNCTUATION else " " for c in raw)
    kept = re.sub(r"-{2,}", "-", re.sub(r"\s+", " ", kept)).strip()
    return kept[: LABEL_LIMIT - 1] + "…" if len(kept) > LABEL_LIMIT else kept


def _states(raw: Any) -> dict[str, tuple[str, str]]:
    """name → (label, kind) for every state with a usable name."""
    states: dict[str, tuple[str, str]] = {}
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict) or not is_name(item.get("name")):
            continue
        name = item["name"]
        kind = "final" if item.get("final") is True else "normal"
        if kind == "normal" and isinstance(item.get("approval"), dict):
            kind = "approval"
        states.setdefault(name, (text(item.get("label")) or name, kind))
    return states


def _edges(raw: Any, states: dict[str, tuple[str, str]]) -> list[str]:
    lines = []
    for item in raw if isinstance(raw, list) else []:
        dest = item.get("dest") if isinstance(item, dict) else None
        if not isinstance(dest, str) or dest not in states:
            continue
        sources = item.get("source")
        sources = sources if isinstance(sources, list) else [sources]
        label = _edge_label(item)
        for source in sources:
            if isinstance(source, str) and source in states:
                lines.append(f"    {node(source)} --> {node(dest)}: {label}")
    return lines


def _edge_label(item: dict[str, Any]) -> str:
    label = text(item.get("label")) or text(item.get("trigger")) or "?"
    refs = item.get("guards")
    guards = (
        [_guard_words(g) for g in refs if isinstance(g, dict)] if isinstance(refs, list) else []
    )
    guards = [g for g in guards if g]
    return f"{label} ({', '.join(guards)})" if guards else label


def _guard_words(ref: dict[str, Any]) -> str:
    name = ref.get("guard")
    if not isinstance(name, str):
        return ""
    params = ref.get("params")
    values = (
        [v for v in params.values() if isinstance(v, str | int)] if isinstance(params, dict) else []
    )
    return text(" ".join([name.replace("_", " "), *map(str, values)]))


def _classes(states: dict[str, tuple[str, str]], initial: str | None) -> list[str]:
    groups: dict[str, list[str]] = {kind: [] for kind in CLASS_DEFS}
    for name, (_, kind) in states.items():
        groups["initial" if name == initial else kind].append(node(name))
    return [f"    class {','.join(ids)} {kind}" for kind, ids in groups.items() if ids]
