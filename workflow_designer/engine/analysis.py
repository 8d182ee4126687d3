"""Checks on the state graph: reachability, ways out, overlaps, approval consistency."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from decimal import Decimal

from workflow_designer.engine.checker import Checker, RefInfo, StateInfo, TransitionInfo
from workflow_designer.policy.money import format_amount


def analyse(checker: Checker) -> None:
    """Add the problems that only show when looking at the workflow as a whole."""
    _check_final_exits(checker)
    if checker.states_complete and checker.states and not _finals(checker):
        checker.add("no_final", "states")
    elif checker.states_complete and checker.transitions_complete and checker.initial:
        _check_graph(checker)
    _check_overlaps(checker)
    _check_approvals(checker)


def _finals(checker: Checker) -> set[str]:
    return {name for name, state in checker.states.items() if state.final}


def _check_final_exits(checker: Checker) -> None:
    for t in checker.transitions:
        for source in t.sources:
            if checker.states[source].final:
                checker.add(
                    "final_has_exit",
                    f"transitions[{t.index}].source",
                    name=source,
                    trigger=t.trigger or "?",
                    state=source,
                    transition=t.trigger,
                )


def reachable(start: Iterable[str], edges: Mapping[str, Iterable[str]]) -> set[str]:
    """Every node reachable from ``start`` following ``edges`` (start included)."""
    seen = set(start)
    queue = deque(seen)
    while queue:
        for nxt in edges.get(queue.popleft(), ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def _check_graph(checker: Checker) -> None:
    forward: dict[str, set[str]] = defaultdict(set)
    backward: dict[str, set[str]] = defaultdict(set)
    # Run only once every dest and the initial state were read (see ``analyse``).
    assert checker.initial is not None
    for t in checker.transitions:
        assert t.dest is not None
        for source in t.sources:
            forward[source].add(t.dest)
            backward[t.dest].add(source)
    reach = reachable([checker.initial], forward)
    dead_ends = {n for n, s in checker.states.items() if not s.final and not forward.get(n)}
    # A dead end is reported as such; states that can only reach one are not reported again.
    can_end = reachable(_finals(checker) | dead_ends, backward)
    trapped = _trapped(reach - can_end, forward)
    for state in sorted(checker.states.values(), key=lambda s: s.index):
        path = f"states[{state.index}].name"
        names = {"name": state.name, "state": state.name}
        if state.name not in reach:
            checker.add("unreachable", path, initial=checker.initial, **names)
        if state.name in dead_ends:
            checker.add("no_way_out", path, **names)
        elif state.name in trapped:
            checker.add("no_path_to_final", path, **names)


def _trapped(stuck: set[str], forward: Mapping[str, set[str]]) -> set[str]:
    """The stuck states on a cycle of stuck states: the cause, not those that lead into it."""
    inside = {name: forward.get(name, set()) & stuck for name in stuck}
    return {name for name in stuck if name in reachable(inside[name], inside)}


def _check_overlaps(checker: Checker) -> None:
    groups: dict[tuple[str, str], list[TransitionInfo]] = defaultdict(list)
    for t in checker.transitions:
        if t.trigger and t.guards is not None and t.roles:
            for source in t.sources:
                groups[source, t.trigger].append(t)
    reported: set[tuple[int, int]] = set()
    for (source, trigger), group in groups.items():
        for j, later in enumerate(group):
            for earlier in group[:j]:
                pair = (earlier.index, later.index)
                if pair not in reported and _compare(checker, earlier, later, source, trigger):
                    reported.add(pair)


def _compare(
    checker: Checker, earlier: TransitionInfo, later: TransitionInfo, source: str, trigger: str
) -> bool:
    """Report ``later`` if ``earlier`` makes it ambiguous or unreachable; True if reported."""
    overlap = earlier.roles & later.roles
    if not overlap:
        return False
    first = {ref.key() for ref in earlier.guards or ()}
    second = {ref.key() for ref in later.guards or ()}
    fields = {
        "first": earlier.label,
        "second": later.label,
        "trigger": trigger,
        "source": source,
        "state": source,
        "transition": trigger,
    }
    path = f"transitions[{later.index}]"
    if first == second:
        checker.add("ambiguous", path, roles=", ".join(sorted(overlap)), **fields)
        return True
    if first < second and later.roles <= earlier.roles:
        checker.add("shadowed", path, **fields)
        return True
    return False


def _check_approvals(checker: Checker) -> None:
    steps: dict[int, StateInfo] = {}
    readable = True
    for state in sorted(checker.states.values(), key=lambda s: s.index):
        approval = state.approval
        if approval is None:
            continue
        if state.final:
            checker.add("final_approval", approval.path, name=state.name, state=state.name)
        if approval.step is None:
            readable = False
        elif approval.step in steps:
            first = steps[approval.step].name
            fields = {"step": approval.step, "first": first, "second": state.name}
            checker.add("duplicate_step", f"{approval.path}.step", state=state.name, **fields)
        else:
            steps[approval.step] = state
        _check_when(checker, state)
    _check_escalation(checker, steps)
    if readable:
        _check_assigned_steps(checker, steps)


def _check_escalation(checker: Checker, steps: dict[int, StateInfo]) -> None:
    if not steps:
        return
    last = steps[max(steps)]
    if last.approval and last.approval.escalate_to == "next":
        path = f"{last.approval.path}.escalate_to"
        checker.add("escalate_past_last", path, step=max(steps), name=last.name, state=last.name)


def _check_assigned_steps(checker: Checker, steps: dict[int, StateInfo]) -> None:
    refs: list[tuple[RefInfo, dict[str, str | None]]] = []
    for state in checker.states.values():
        refs += [(ref, {"state": state.name}) for ref in state.on_enter]
    for t in checker.transitions:
        refs += [(ref, {"transition": t.trigger}) for ref in t.actions]
    for ref, names in refs:
        step = ref.params.get("step")
        if ref.name == "assign_approver" and step is not None and step not in steps:
            checker.add("unknown_step", f"{ref.path}.params.step", step=step, **names)


def _check_when(checker: Checker, state: StateInfo) -> None:
    approval = state.approval
    if approval is None or approval.when_kind in (None, "always"):
        return
    amount = approval.when_amount
    params = () if amount is None else (("amount", amount),)
    needed = (approval.when_kind, params)
    for t in checker.transitions:
        entering = t.dest == state.name and any(s != state.name for s in t.sources)
        if entering and t.guards is not None and needed not in {g.key() for g in t.guards}:
            checker.add(
                "when_guard_missing",
                f"transitions[{t.index}].guards",
                name=state.name,
                when=_when_words(approval.when_kind, amount),
                trigger=t.trigger or "?",
                source=", ".join(t.sources),
                guard=_guard_words(approval.when_kind, amount),
                state=state.name,
                transition=t.trigger,
            )


def _when_words(kind: str, amount: Decimal | None) -> str:
    return {
        "exception_requested": "when an exception is requested",
        "value_at_least": f"when the value is at least {_amount(amount)}",
        "value_below": f"when the value is below {_amount(amount)}",
    }[kind]


def _guard_words(kind: str, amount: Decimal | None) -> str:
    return kind if amount is None else f'{kind} with amount "{amount}"'


def _amount(amount: Decimal | None) -> str:
    return "?" if amount is None else format_amount(amount)
