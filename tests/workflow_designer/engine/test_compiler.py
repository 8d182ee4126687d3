"""Compiling configs into machines, and refusing anything that is not a registry name."""

from __future__ import annotations

import copy

import pytest
from transitions import MachineError
from transitions.core import EventData

from tests.workflow_designer.engine.builders import context, minimal_doc, transition
from workflow_designer.engine.callbacks import BoundAction, BoundGuard
from workflow_designer.engine.compiler import RegistryMachine, build_compiled, compile_workflow
from workflow_designer.engine.errors import InvalidWorkflow, ParamError, UnknownName, WorkflowError
from workflow_designer.engine.firing import fire_trigger
from workflow_designer.engine.registry import REGISTRY
from workflow_designer.engine.specs import Carrier
from workflow_designer.engine.templates import load_template, template_names

DANGEROUS = [
    "os.system",
    "builtins.print",
    "subprocess.run",
    "workflow_designer.engine.schema.upgrade_config",
]


def test_compiling_builds_specs_and_a_machine():
    compiled = compile_workflow(load_template("stock_rotation"))
    assert compiled.initial == "draft"
    assert compiled.machine.initial == "draft"
    assert set(compiled.machine.states) == set(compiled.states)
    assert compiled.states["closed"].final and not compiled.states["draft"].final
    assert compiled.approval_steps[1].state == "rep_review"
    assert compiled.approval_steps[2].approver == {"kind": "role", "role": "admin"}
    submit = compiled.candidates("draft", "submit")
    assert [t.dest for t in submit] == ["rep_review", "admin_review", "authorized"]
    assert repr(submit[1].guards[1]) == "<BoundGuard value_at_least(amount=2500)>"


def test_the_machine_has_no_models_and_no_generated_triggers():
    compiled = compile_workflow(minimal_doc())
    machine = compiled.machine
    assert machine.models == []
    assert set(machine.events) == {"submit", "approve"}  # no to_<state> auto transitions
    assert machine.send_event is True


def test_no_transition_uses_prepare_callbacks():
    compiled = compile_workflow(load_template("stock_rotation"))
    for event in compiled.machine.events.values():
        for transitions in event.transitions.values():
            assert all(t.prepare == [] for t in transitions)


def test_the_input_document_is_copied():
    doc = minimal_doc()
    before = copy.deepcopy(doc)
    compiled = compile_workflow(doc)
    assert doc == before
    doc["states"][0]["label"] = "Changed"
    assert compiled.states["draft"].label == "Draft"
    assert compiled.doc["states"][0]["label"] == "Draft"


def test_invalid_documents_raise_with_every_problem():
    doc = minimal_doc()
    doc["initial"] = "nowhere"
    doc["transitions"][0]["roles"] = ["guest"]
    with pytest.raises(InvalidWorkflow) as excinfo:
        compile_workflow(doc)
    assert [p.code for p in excinfo.value.problems] == ["unknown_initial", "unknown_role"]
    assert str(excinfo.value).endswith("(and 1 more)")


@pytest.mark.parametrize("name", DANGEROUS)
def test_validation_refuses_callables_named_by_path(name):
    doc = minimal_doc()
    doc["transitions"][0]["guards"] = [{"guard": name}]
    with pytest.raises(InvalidWorkflow):
        compile_workflow(doc)


@pytest.mark.parametrize("name", DANGEROUS)
@pytest.mark.parametrize("where", ["guard", "action", "on_enter"])
def test_the_compiler_refuses_them_even_without_validation(name, where, capsys):
    doc = minimal_doc()
    if where == "guard":
        doc["transitions"][0]["guards"] = [{"guard": name}]
    elif where == "action":
        doc["transitions"][0]["actions"] = [{"action": name}]
    else:
        doc["states"][1]["on_enter"] = [{"action": name}]
    with pytest.raises(UnknownName):
        build_compiled(doc)
    assert capsys.readouterr() == ("", "")


def test_the_compiler_checks_parameters_and_states_without_validation():
    doc = minimal_doc()
    doc["transitions"][0]["guards"] = [{"guard": "value_below", "params": {"amount": 1.5}}]
    with pytest.raises(ParamError):
        build_compiled(doc)
    doc = minimal_doc()
    doc["transitions"][0]["dest"] = ""
    with pytest.raises(WorkflowError):
        build_compiled(doc)


def _event_data(machine: RegistryMachine) -> EventData:
    carrier = Carrier("draft", context())
    return EventData(None, None, machine, carrier, (), {})


@pytest.mark.parametrize(
    "name", [*DANGEROUS, "print", "state", "__class__", "set_due", "value_below"]
)
def test_the_resolver_refuses_every_string_but_parameterless_registry_names(name, capsys):
    machine = compile_workflow(minimal_doc()).machine
    with pytest.raises(UnknownName):
        machine.resolve_callable(name, _event_data(machine))
    assert capsys.readouterr() == ("", "")


def test_the_resolver_refuses_plain_callables():
    machine = compile_workflow(minimal_doc()).machine
    with pytest.raises(UnknownName):
        machine.resolve_callable(print, _event_data(machine))


def test_the_resolver_resolves_parameterless_registry_names():
    machine = compile_workflow(minimal_doc()).machine
    guard = machine.resolve_callable("policy_passed", _event_data(machine))
    assert isinstance(guard, BoundGuard) and guard.name == "policy_passed"


def test_a_string_callback_smuggled_into_the_machine_is_refused_when_firing(capsys):
    compiled = compile_workflow(minimal_doc())
    compiled.machine.add_transition("sneak", "draft", "review", conditions="builtins.print")
    compiled.machine.add_transition("sneak2", "draft", "review", before="os.system")
    with pytest.raises(UnknownName):
        compiled.machine.events["sneak"].trigger(Carrier("draft", context(role="admin")))
    with pytest.raises(UnknownName):
        compiled.machine.events["sneak2"].trigger(Carrier("draft", context(role="admin")))
    assert capsys.readouterr() == ("", "")


def test_an_unknown_source_state_is_refused_by_the_machine():
    compiled = compile_workflow(minimal_doc())
    with pytest.raises(MachineError):
        compiled.machine.events["approve"].trigger(Carrier("draft", context()))


@pytest.mark.parametrize("name", template_names())
def test_every_template_compiles(name):
    compiled = compile_workflow(load_template(name))
    assert len(compiled.transitions) == len(load_template(name)["transitions"])


def test_bound_actions_describe_themselves():
    compiled = compile_workflow(load_template("stock_rotation"))
    on_enter = compiled.states["rep_review"].on_enter
    assert [repr(a) for a in on_enter] == [
        "<BoundAction assign_approver(step=1)>",
        "<BoundAction set_due(hours=48)>",
        "<BoundAction notify(to=approver, template=approval_requested)>",
    ]
    assert all(isinstance(a, BoundAction) for a in on_enter)


def test_a_custom_registry_is_used_for_compiling():
    doc = minimal_doc()
    doc["transitions"].append(
        transition(
            "approve", "review", "draft", guards=[{"guard": "policy_passed"}], roles=["sales_rep"]
        )
    )
    with pytest.raises(InvalidWorkflow):
        compile_workflow(doc, registry=type(REGISTRY)())
    assert (
        fire_trigger(compile_workflow(doc), "review", "approve", context(role="sales_rep")).state
        == "draft"
    )
