"""Return policies: rule specs, validation, evaluation, plain-words summaries, credit.

Pure domain code (no Flask). The rules read plain dataclasses; ``facts`` and ``loading``
fill them from the database with a constant number of aggregate queries. See
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
from workflow_designer.policy.facts import (
    NOT_COUNTING_STATES,
    counting_rma,
    load_facts,
    net_purchases,
    returnable_column,
    returnable_quantities,
)
from workflow_designer.policy.loading import (
    load_replacement_lines,
    load_request,
    load_request_lines,
    request_line_for,
)
from workflow_designer.policy.money import CURRENCIES, format_money, round_money
from workflow_designer.policy.request import (
    AccountFacts,
    PolicyRequest,
    ReplacementRequestLine,
    RequestLine,
)
from workflow_designer.policy.spec import (
    DEFAULT_DISPOSITIONS,
    DISPOSITIONS,
    GRADES,
    MODES,
    RULES,
    ParamSpec,
    RuleSpec,
)
from workflow_designer.policy.validation import PolicyProblem, validate_policy

__all__ = [
    "CURRENCIES",
    "DEFAULT_DISPOSITIONS",
    "DISPOSITIONS",
    "GRADES",
    "MODES",
    "NOT_COUNTING_STATES",
    "RULES",
    "AccountFacts",
    "CreditEstimate",
    "CreditLine",
    "Finding",
    "LineIssue",
    "ParamSpec",
    "PolicyEvaluation",
    "PolicyProblem",
    "PolicyRequest",
    "ReplacementRequestLine",
    "RequestLine",
    "RuleSpec",
    "counting_rma",
    "default_policy",
    "describe_policy",
    "disposition_for",
    "estimate_credit",
    "evaluate",
    "format_money",
    "line_issues",
    "load_facts",
    "load_replacement_lines",
    "load_request",
    "load_request_lines",
    "net_purchases",
    "request_line_for",
    "returnable_column",
    "returnable_quantities",
    "round_money",
    "validate_policy",
]
