"""A policy in plain words, for a retailer about to start a request.

What can I return, until when, and what will I get — one sentence per rule that is on
(each rule's ``explain``), then one sentence about the credit, to which each credit rule
adds its clause.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from workflow_designer.policy.rules.base import listing
from workflow_designer.policy.validation import RuleConfig, read_policy
from workflow_designer.policy.words import gettext as _
from workflow_designer.policy.words import in_sentence
from workflow_designer.policy.words import lazy_gettext as _l

EXCEPTION_NOTE = _l(" You can ask for an exception, with a reason.")


def describe_policy(policy: Any, currency: str, today: date) -> list[str]:
    """Plain sentences describing ``policy``; amounts in ``currency``, windows as of ``today``."""
    read = read_policy(policy)
    lines = []
    for config in read.rules.values():
        if config.rule.pass_fail:
            text = config.rule.explain(config.params, currency, today)
            lines.append(text + (str(EXCEPTION_NOTE) if config.exception_allowed else ""))
    if not lines:
        lines.append(_("Any product you bought can be returned, at any time."))
    if read.broken:
        labels = listing([in_sentence(rule.label) for rule in read.broken])
        lines.append(
            _("Requests cannot be checked until the distributor corrects: %(rules)s.", rules=labels)
        )
    lines.append(_credit(read.rules.values(), currency, today))
    return lines


def _credit(configs: Iterable[RuleConfig], currency: str, today: date) -> str:
    clauses = [
        config.rule.explain(config.params, currency, today)
        for config in configs
        if not config.rule.pass_fail
    ]
    # Each credit rule's clause reads on from the sentence: ", less a 15% restocking fee".
    return _("You are credited the price you paid%(clauses)s.", clauses="".join(clauses))
