"""Return policies: rules, validation, evaluation, plain-words summaries, credit.

Each rule is one class in ``policy/rules/`` registered in ``RULES`` (see
``policy.rules.base.PolicyRule``).

Pure domain code (no Flask, no database). The rules read plain dataclasses, which
``workflow_designer.runtime.policy_facts`` and ``policy_loading`` fill from the database
with a constant number of aggregate queries. See
docs/policies.md.
"""

from workflow_designer.policy.credit import (
    CreditEstimate,
    CreditLine,
    disposition_for,
    estimate_credit,
)
from workflow_designer.policy.defaults import default_policy
from workflow_designer.policy.describe import describe_policy
from workflow_designer.policy.evaluation import (
    Finding,
    LineIssue,
    PolicyEvaluation,
    evaluate,
    line_issues,
)
from workflow_designer.policy.money import CURRENCIES, format_money, round_money
from workflow_designer.policy.periods import UNITS, Period
from workflow_designer.policy.request import (
    AccountFacts,
    PolicyRequest,
    ReplacementRequestLine,
    RequestLine,
)
from workflow_designer.policy.rules import RULES, CreditRule, PolicyRule, register_rule
from workflow_designer.policy.spec import (
    DEFAULT_DISPOSITIONS,
    DISPOSITIONS,
    GRADES,
    MODES,
    ParamSpec,
)
from workflow_designer.policy.validation import PolicyProblem, validate_policy

__all__ = [
    "CURRENCIES",
    "DEFAULT_DISPOSITIONS",
    "DISPOSITIONS",
    "GRADES",
    "MODES",
    "RULES",
    "UNITS",
    "AccountFacts",
    "CreditEstimate",
    "CreditLine",
    "CreditRule",
    "Finding",
    "LineIssue",
    "ParamSpec",
    "Period",
    "PolicyEvaluation",
    "PolicyProblem",
    "PolicyRequest",
    "PolicyRule",
    "ReplacementRequestLine",
    "RequestLine",
    "default_policy",
    "describe_policy",
    "disposition_for",
    "estimate_credit",
    "evaluate",
    "format_money",
    "line_issues",
    "register_rule",
    "round_money",
    "validate_policy",
]
