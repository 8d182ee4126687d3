"""Workflow engine: config schema, validation, guard/action registry, compiler and cache.

Pure domain code: no Flask, no database. See docs/workflows.md.
"""

from workflow_designer.base import ActionBase, GuardBase, GuardResult
from workflow_designer.cache import MachineCache
from workflow_designer.callbacks import GuardCheck
from workflow_designer.compiler import (
    ApprovalStep,
    CompiledWorkflow,
    StateSpec,
    TransitionSpec,
    compile_workflow,
)
from workflow_designer.context import FireContext
from workflow_designer.errors import (
    ActionUnavailable,
    InvalidWorkflow,
    ParamError,
    SchemaVersionError,
    UnknownName,
    UnknownState,
    WorkflowError,
)
from workflow_designer.firing import (
    FireOutcome,
    TriggerOption,
    allowed_transitions,
    available_triggers,
    fire_trigger,
    trigger_options,
)
from workflow_designer.mermaid import to_mermaid
from workflow_designer.problems import Problem
from workflow_designer.registry import REGISTRY, Registry
from workflow_designer.schema import SCHEMA_VERSION, upgrade_config
from workflow_designer.templates import load_template, template_names
from workflow_designer.validation import validate

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
    "MachineCache",
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
