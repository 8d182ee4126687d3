"""Evaluating a policy on a request: one finding per enabled rule, in display order."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from workflow_designer.policy.request import PolicyRequest, RequestLine
from workflow_designer.policy.rules import RULES, PolicyRule
from workflow_designer.policy.validation import PolicyProblem, RuleConfig, read_policy
from workflow_designer.policy.words import gettext as _


@dataclass(frozen=True)
class Finding:
    """One rule's verdict. ``blocking``/``exception_allowed`` are only ever true on a
    failure: blocking failures stop the submit, the others can be overridden by an
    exception request."""

    rule: str
    label: str
    passed: bool
    blocking: bool
    exception_allowed: bool
    message: str
    figures: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "label": self.label,
            "passed": self.passed,
            "blocking": self.blocking,
            "exception_allowed": self.exception_allowed,
            "message": self.message,
            "figures": self.figures,
        }


@dataclass(frozen=True)
class PolicyEvaluation:
    findings: list[Finding]

    @property
    def failures(self) -> list[Finding]:
        return [finding for finding in self.findings if not finding.passed]

    @property
    def passed(self) -> bool:
        """No rule failed."""
        return all(finding.passed for finding in self.findings)

    @property
    def blocked(self) -> bool:
        """A blocking rule failed: the request cannot be submitted, not even as an exception."""
        return any(finding.blocking for finding in self.findings)

    @property
    def exception_needed(self) -> bool:
        """Rules failed, and every failure may be overridden by an exception request."""
        return not self.passed and not self.blocked

    def snapshot(self) -> list[dict[str, Any]]:
        """The findings as JSON, for ``Rma.policy_findings``."""
        return [finding.as_dict() for finding in self.findings]

    def as_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "blocked": self.blocked,
            "exception_needed": self.exception_needed,
            "findings": self.snapshot(),
        }


def evaluate(policy: Any, request: PolicyRequest) -> PolicyEvaluation:
    """Run every enabled rule of ``policy`` on ``request``; never raises.

    A rule that is switched on but cannot be read (the document skipped validation) fails
    as blocking: nothing is accepted under a rule nobody can check.
    """
    read = read_policy(policy)
    findings = []
    for name, rule in RULES.items():
        config = read.rules.get(name)
        if config is not None:
            findings.append(_finding(config, request))
        elif rule in read.broken:
            findings.append(_broken(rule, read.problems))
    return PolicyEvaluation(findings)


def _finding(config: RuleConfig, request: PolicyRequest) -> Finding:
    rule = config.rule
    outcome = rule.check(config.params, request)
    failed = not outcome.passed
    return Finding(
        rule.name,
        str(rule.label),
        outcome.passed,
        failed and rule.pass_fail and not config.exception_allowed,
        failed and config.exception_allowed,
        outcome.message,
        outcome.figures,
    )


def _broken(rule: PolicyRule, problems: list[PolicyProblem]) -> Finding:
    reasons = [problem.message for problem in problems if problem.rule == rule.name]
    message = _(
        "%(rule)s: this rule is set up incorrectly and cannot be checked; "
        "the distributor has to correct it",
        rule=rule.label,
    )
    label = str(rule.label)
    return Finding(rule.name, label, False, True, False, message, {"problems": reasons})


@dataclass(frozen=True)
class LineIssue:
    """Why one line fails a per-line rule, for marking lines while they are picked."""

    rule: str
    message: str
    blocking: bool


def line_issues(policy: Any, lines: Iterable[RequestLine], today: date) -> list[list[LineIssue]]:
    """For each line, its failures of the rules that judge lines one by one (the return
    window, eligibility and purchase age), in rule order."""
    judge = line_judge(policy, today)
    return [judge(line) for line in lines]


def line_judge(policy: Any, today: date) -> Callable[[RequestLine], list[LineIssue]]:
    """``line_issues`` of one line at a time, the policy read once: for a caller that asks
    about a few lines of many, in an order of its own."""
    judges = [
        (config, judge)
        for config in read_policy(policy).rules.values()
        if (judge := config.rule.line_judge(config.params, today)) is not None
    ]

    def issues_of(line: RequestLine) -> list[LineIssue]:
        issues = []
        for config, judge in judges:
            text = judge(line)
            if text:
                message = _("%(rule)s: %(reason)s", rule=config.rule.label, reason=text)
                issues.append(LineIssue(config.rule.name, message, not config.exception_allowed))
        return issues

    return issues_of
