"""The workflow engine: config schema, validation, guard/action registry, compiler,
firing, simulation, diff and diagram.

Pure domain code: no Flask, no database (tests/workflow_designer/test_boundaries.py).
See docs/workflows.md.
"""

from workflow_designer.engine.base import ActionBase, GuardBase, GuardResult
from workflow_designer.engine.callbacks import GuardCheck
from workflow_designer.engine.compiler import CompiledWorkflow, compile_workflow
from workflow_designer.engine.context import FireContext
from workflow_designer.engine.errors import (
    ActionUnavailable,
    InvalidWorkflow,
    ParamError,
    SchemaVersionError,
    UnknownName,
    UnknownState,
    WorkflowError,
)
from workflow_designer.engine.firing import (
    FireOutcome,
    TriggerOption,
    allowed_transitions,
    available_triggers,
    fire_trigger,
    trigger_options,
)
from workflow_designer.engine.mermaid import to_mermaid
from workflow_designer.engine.problems import Problem
from workflow_designer.engine.registry import REGISTRY, Registry
from workflow_designer.engine.schema import SCHEMA_VERSION, upgrade_config
from workflow_designer.engine.specs import ApprovalStep, StateSpec, TransitionSpec
from workflow_designer.engine.templates import load_template, template_names
from workflow_designer.engine.validation import validate

__all__ = [
    "REGISTRY",
    "SCHEMA_VERSION",
    "ActionBase",
    "ActionUnavailable",
    "ApprovalStep",
    "CompiledWorkflow",
    "FireContext",
    "FireOutcome",
    "GuardBase",
    "GuardCheck",
    "GuardResult",
    "InvalidWorkflow",
    "ParamError",
    "Problem",
    "Registry",
    "SchemaVersionError",
    "StateSpec",
    "TransitionSpec",
    "TriggerOption",
    "UnknownName",
    "UnknownState",
    "WorkflowError",
    "allowed_transitions",
    "available_triggers",
    "compile_workflow",
    "fire_trigger",
    "load_template",
    "template_names",
    "to_mermaid",
    "trigger_options",
    "upgrade_config",
    "validate",
]
