"""The Mermaid export drawn by the designer."""

from __future__ import annotations

from tests.workflow_designer.engine.builders import approval, minimal_doc
from workflow_designer.engine.mermaid import text, to_mermaid
from workflow_designer.engine.templates import load_template


def test_a_small_workflow_is_drawn_with_state_kinds():
    doc = minimal_doc()
    doc["states"][1]["approval"] = approval()
    doc["transitions"][0]["guards"] = [{"guard": "value_at_least", "params": {"amount": "2500"}}]
    assert to_mermaid(doc) == "\n".join(
        [
            "stateDiagram-v2",
            "    classDef initial fill:#dbeafe,stroke:#1d4ed8,color:#1e3a8a",
            "    classDef approval fill:#fef3c7,stroke:#b45309,color:#78350f",
            "    classDef final fill:#e5e7eb,stroke:#374151,color:#111827",
            "    classDef normal fill:#ffffff,stroke:#6b7280,color:#111827",
            '    state "Draft" as s_draft',
            '    state "Review" as s_review',
            '    state "Done" as s_done',
            "    [*] --> s_draft",
            "    s_draft --> s_review: Submit (value at least 2500)",
            "    s_review --> s_done: Approve",
            "    s_done --> [*]",
            "    class s_draft initial",
            "    class s_review approval",
            "    class s_done final",
            "",
        ]
    )


def test_every_template_edge_is_drawn():
    doc = load_template("stock_rotation")
    diagram = to_mermaid(doc)
    edges = sum(
        len(t["source"]) if isinstance(t["source"], list) else 1 for t in doc["transitions"]
    )
    assert diagram.count(" --> s_") == edges + 1  # plus the initial arrow
    assert "class s_rep_review,s_admin_review approval" in diagram
    assert "    class s_draft initial" in diagram


def test_labels_cannot_break_the_syntax():
    assert text('Say "hi"; then --> go #1 <b>\nnow') == "Say hi then - go 1 b now"
    assert text(None) == ""
    assert text("x" * 200).endswith("…") and len(text("x" * 200)) == 80


def test_states_named_like_mermaid_keywords_are_prefixed():
    doc = minimal_doc()
    doc["states"][2]["name"] = "end"
    doc["transitions"][1]["dest"] = "end"
    assert "s_review --> s_end: Approve" in to_mermaid(doc)


def test_broken_drafts_draw_what_they_can():
    doc = minimal_doc()
    doc["initial"] = ["draft"]
    doc["states"].append({"name": "Bad Name", "label": "Bad"})
    doc["states"].append("junk")
    doc["transitions"].append({"source": ["draft", 3], "dest": "nowhere"})
    doc["transitions"].append({"source": [["x"]], "dest": ["y"], "guards": 7})
    doc["transitions"].append(
        {"source": "draft", "dest": "done", "guards": [{"guard": 1}, {"guard": "g", "params": [1]}]}
    )
    diagram = to_mermaid(doc)
    assert "[*] -->" not in diagram and "Bad" not in diagram
    assert "s_draft --> s_done: ? (g)" in diagram


def test_anything_that_is_not_a_workflow_gives_an_empty_diagram():
    for junk in (None, [], "x", 3, {"states": {"a": 1}}):
        assert to_mermaid(junk).startswith("stateDiagram-v2\n")
