"""One check per rule, registered by name in ``CHECKS`` when these modules are imported."""

from workflow_designer.policy.rules import credit, lines, rotation, timing
from workflow_designer.policy.rules.base import CHECKS, Outcome

__all__ = ["CHECKS", "Outcome", "credit", "lines", "rotation", "timing"]
