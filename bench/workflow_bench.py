"""Workflow engine benchmark.

Run: .venv/bin/python bench/workflow_bench.py

Prints compile time (default stock_rotation template, and a generated 200-state config),
the cost of one fire in µs without the database (target ≤ 50 µs), the cost of one fire()
with a PostgreSQL commit (target ≤ 3 ms; skipped with --no-db) and RSS growth after
100,000 fires (target < 10 MB).
"""

from __future__ import annotations

import gc
import resource
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workflow_designer.engine import FireContext, compile_workflow, fire_trigger, load_template
from workflow_designer.engine.compiler import CompiledWorkflow
from workflow_designer.engine.specs import Carrier

FIRE_TARGET_US = 50.0
RSS_TARGET_MB = 10.0
NOW = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)


@dataclass
class Line:
    quantity_authorized: int = 2
    quantity_received: int = 2
    has_discrepancy: bool = False
    grade: str | None = "new"


@dataclass
class Rma:
    total_value: Decimal = Decimal("3100.00")
    policy_passed: bool = True
    exception_requested: bool = False
    account_status: str = "active"
    resolution: str | None = "credit"
    lines: list[Line] = field(default_factory=lambda: [Line(), Line()])
    approval_step: int | None = None
    due_at: datetime | None = None


def generated_config(states: int = 200) -> dict[str, Any]:
    """A long chain with guarded branches, approvals every 20 states and a cancel everywhere."""
    names = [f"step_{i:03d}" for i in range(states - 1)] + ["cancelled"]
    doc_states = [{"name": n, "label": n.replace("_", " ").title()} for n in names]
    doc_states[-2]["final"] = doc_states[-1]["final"] = True
    transitions = []
    for i, (here, there) in enumerate(pairwise(names[:-1])):
        guards = [{"guard": "value_at_least", "params": {"amount": str(i * 10)}}] if i % 3 else []
        notify = {"action": "notify", "params": {"to": "retailer", "template": "rma_submitted"}}
        transitions.append(_move("advance", here, there, guards, [notify]))
        if i % 3:  # a guarded step needs a way on when its guard fails
            transitions.append(_move("advance", here, there, [], [], roles=["sales_rep"]))
        transitions.append(_move("cancel", here, "cancelled", [], []))
    return {"schema": 1, "initial": names[0], "states": doc_states, "transitions": transitions}


def _move(trigger: str, source: str, dest: str, guards: list, actions: list, roles=None) -> dict:
    return {
        "trigger": trigger,
        "label": trigger.title(),
        "source": source,
        "dest": dest,
        "roles": roles or ["admin"],
        "guards": guards,
        "actions": actions,
    }


def timed_ms(func: Callable[[], Any], repeat: int) -> float:
    """Median wall time of ``func`` in milliseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def fire_us(compiled: CompiledWorkflow, state: str, trigger: str, role: str, n: int) -> float:
    """Mean µs per fire, including building the FireContext as a request would."""
    rma = Rma()
    expected = fire_trigger(compiled, state, trigger, FireContext(rma, role=role, now=NOW)).state
    start = time.perf_counter()
    for _ in range(n):
        outcome = fire_trigger(compiled, state, trigger, FireContext(rma, role=role, now=NOW))
    elapsed = time.perf_counter() - start
    assert outcome.state == expected != state
    return elapsed / n * 1e6


def raw_transitions_us(compiled: CompiledWorkflow, state: str, trigger: str, n: int) -> float:
    """The same fire straight through transitions, for comparison with the engine's overhead."""
    event = compiled.machine.events[trigger]
    ctx = FireContext(Rma(), role="admin", now=NOW)
    start = time.perf_counter()
    for _ in range(n):
        ctx.effects.clear()
        event.trigger(Carrier(state, ctx))
    return (time.perf_counter() - start) / n * 1e6


def rss_mb() -> float:
    """Current resident set size in MB (Linux), else the peak as getrusage reports it."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_growth_mb(compiled: CompiledWorkflow, fires: int) -> float:
    """RSS growth over ``fires`` fires alternating two triggers, each with a fresh context."""
    rma = Rma()
    fire_trigger(compiled, "draft", "submit", FireContext(rma, role="retailer", now=NOW))
    gc.collect()
    before = rss_mb()
    for i in range(fires):
        if i % 2:
            fire_trigger(compiled, "authorized", "ship", FireContext(rma, role="retailer", now=NOW))
        else:
            fire_trigger(compiled, "draft", "submit", FireContext(rma, role="retailer", now=NOW))
    gc.collect()
    return rss_mb() - before


def verdict(ok: bool) -> str:
    return "ok" if ok else "OVER TARGET"


def report_compile(docs: dict[str, dict[str, Any]]) -> None:
    for name, doc in docs.items():
        compiled = compile_workflow(doc)
        size = f"{len(compiled.states)} states, {len(compiled.transitions)} transitions"
        ms = timed_ms(lambda doc=doc: compile_workflow(doc), 20 if len(doc["states"]) > 50 else 200)
        print(f"compile {name} ({size}): {ms:.2f} ms")


def report_fire(stock: CompiledWorkflow, big: CompiledWorkflow, n: int = 50_000) -> float:
    """Print µs per fire for three representative triggers; return the worst."""
    rows = [
        ("submit (3 guards, 3 on-enter actions)", stock, "draft", "submit", "retailer"),
        ("ship (no guards, 1 on-enter action)", stock, "authorized", "ship", "retailer"),
        ("generated advance (1 guard, 1 action)", big, "step_100", "advance", "admin"),
    ]
    worst = 0.0
    for label, compiled, state, trigger, role in rows:
        us = fire_us(compiled, state, trigger, role, n)
        worst = max(worst, us)
        print(f"fire {label}: {us:.1f} µs  [{verdict(us <= FIRE_TARGET_US)}, target ≤ 50]")
    bare = raw_transitions_us(stock, "authorized", "ship", n)
    print(f"  for comparison, bare transitions trigger (ship): {bare:.1f} µs")
    return worst


def main() -> int:
    stock_doc = load_template("stock_rotation")
    big_doc = generated_config(200)
    report_compile({"stock_rotation": stock_doc, "generated": big_doc})
    stock, big = compile_workflow(stock_doc), compile_workflow(big_doc)
    worst = report_fire(stock, big)
    db_ok = "--no-db" in sys.argv or report_fire_with_commit()
    growth = rss_growth_mb(stock, 100_000)
    target = f"[{verdict(growth < RSS_TARGET_MB)}, target < 10]"
    print(f"RSS growth after 100,000 fires: {growth:.2f} MB  {target}")
    return 0 if worst <= FIRE_TARGET_US and growth < RSS_TARGET_MB and db_ok else 1


def report_fire_with_commit() -> bool:
    from bench.workflow_db import COMMIT_TARGET_MS, fire_with_commit_ms

    results = fire_with_commit_ms()
    mean, p95 = results["fire + commit"]
    ok = mean <= COMMIT_TARGET_MS
    print(
        f"fire() + PostgreSQL commit: mean {mean:.2f} ms, p95 {p95:.2f} ms  "
        f"[{verdict(ok)}, target ≤ 3]"
    )
    mean, p95 = results["load + fire + commit"]
    print(f"  with loading the RMA and actor first: mean {mean:.2f} ms, p95 {p95:.2f} ms")
    return ok


if __name__ == "__main__":
    sys.exit(main())
