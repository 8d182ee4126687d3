"""A draft as the policy engine sees it, evaluated the same way for the live panel and at
submit. Prices come from the order lines and the catalog, never from a form.

Besides the return type's policy rules, a request must pass checks that no exception can
override: it has lines, each line fits what is still returnable, and each line carries
the reason, condition, photos and description the return type asks for.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import Session

from models import ReturnType, Rma
from portal.requests.contents import DraftContents, DraftLine, draft_contents
from portal.requests.purchases import recent_net_purchases
from workflow_designer.policy import (
    AccountFacts,
    PolicyEvaluation,
    PolicyRequest,
    ReplacementRequestLine,
    RequestLine,
    evaluate,
    line_issues,
)
from workflow_designer.policy.credit import CreditEstimate, estimate_credit
from workflow_designer.policy.money import round_money
from workflow_designer.policy.questionnaire import (
    UnknownAnswer,
    answer_fields,
    claim,
    questions_of,
)
from workflow_designer.runtime.policy_facts import load_facts, returnable_quantities
from workflow_designer.runtime.policy_loading import request_line_for


def replacement_enabled(return_type: ReturnType) -> bool:
    rule = (return_type.policy or {}).get("replacement_order")
    return isinstance(rule, dict) and rule.get("enabled") is True


def returnable_for(session: Session, rma: Rma, order_line_ids: list[int]) -> dict[int, int]:
    """What is still returnable of each order line; this draft's own lines never count."""
    found = returnable_quantities(session, order_line_ids, exclude_rma_id=rma.id)
    return {line_id: max(0, found.get(line_id, 0)) for line_id in order_line_ids}


@dataclass(frozen=True)
class Check:
    """A check of the request itself; a failure blocks submit and allows no exception."""

    label: str
    passed: bool
    message: str


@dataclass
class DraftEvaluation:
    rma: Rma
    contents: DraftContents
    request: PolicyRequest
    evaluation: PolicyEvaluation
    checks: list[Check]

    @property
    def checks_passed(self) -> bool:
        return all(check.passed for check in self.checks)

    @property
    def blocked(self) -> bool:
        return not self.checks_passed or self.evaluation.blocked

    @property
    def needs_exception(self) -> bool:
        """Only exception-allowed rules fail: an exception request may carry it through."""
        return self.checks_passed and self.evaluation.exception_needed

    @property
    def can_submit(self) -> bool:
        if self.blocked:
            return False
        return self.evaluation.passed or self.rma.exception_requested

    @property
    def total_value(self) -> Decimal:
        """Σ requested quantity × original unit net price, in the account's currency."""
        return round_money(self.request.value, self.rma.currency)

    @property
    def findings(self) -> list:
        return list(self.evaluation.findings)

    @cached_property
    def estimate(self) -> CreditEstimate:
        """The credit as the lines stand (reported or claimed condition), priced by the same
        function as the final credit."""
        policy = self.rma.return_type.policy or {}
        return estimate_credit(policy, self.request.lines, self.rma.resolution, self.rma.currency)

    @cached_property
    def line_estimates(self) -> dict[int, Decimal]:
        """Draft line id → its estimated credit (lines and request lines share the order)."""
        priced = zip(self.contents.lines, self.estimate.lines, strict=True)
        return {d.line.id: credit_line.credit for d, credit_line in priced}


def evaluate_draft(
    session: Session, rma: Rma, today: date, *, live: bool = False
) -> DraftEvaluation:
    """Load the draft and the account's facts, check them and evaluate the policy.

    ``live``: for the panel shown while the draft is edited, which may use net purchases
    read a few minutes ago (``portal.requests.purchases``); submitting never does."""
    contents = draft_contents(session, rma)
    policy = rma.return_type.policy or {}
    facts = load_facts(
        session,
        rma.account,
        rma.return_type,
        policy,
        today,
        exclude_rma_id=rma.id,
        purchases=recent_net_purchases if live else None,
    )
    request = policy_request(contents, facts, today)
    for draft_line, issues in zip(
        contents.lines, line_issues(policy, request.lines, today), strict=True
    ):
        draft_line.issues = issues
    return DraftEvaluation(
        rma=rma,
        contents=contents,
        request=request,
        evaluation=evaluate(policy, request),
        checks=request_checks(rma.return_type, contents),
    )


def policy_request(contents: DraftContents, facts: AccountFacts, today: date) -> PolicyRequest:
    return PolicyRequest(
        today=today,
        lines=tuple(_request_line(d) for d in contents.lines),
        replacement_lines=tuple(
            ReplacementRequestLine(
                sku=r.product.sku,
                quantity=r.line.quantity,
                unit_price=r.product.list_price,
                product_id=r.product.id,
                lifecycle=r.product.lifecycle.value,
                available=r.available,
            )
            for r in contents.replacements
        ),
        facts=facts,
    )


def _request_line(d: DraftLine) -> RequestLine:
    return request_line_for(
        d.order_line,
        d.line.quantity_requested,
        condition=d.line.condition,
        photos=len(d.photos),
        description=d.line.description,
        **answer_fields(d.line.condition_answers),
    )


def request_checks(return_type: ReturnType, contents: DraftContents) -> list[Check]:
    lines = contents.lines
    # Summed per order line: two draft lines of one invoice line share what is returnable.
    requested = Counter()
    for d in lines:
        requested[d.line.order_line_id] += d.line.quantity_requested
    checks = [
        Check(
            _("Lines"),
            bool(lines),
            ngettext(
                "%(num)d line, %(units)s units.",
                "%(num)d lines, %(units)s units.",
                len(lines),
                units=contents.units,
            )
            if lines
            else _("Add at least one line from your purchase history."),
        ),
        _each(
            _("Returnable quantities"),
            lines,
            lambda d: requested[d.line.order_line_id] <= d.returnable,
            _("Every quantity fits what is still returnable."),
            _("More than is still returnable"),
        ),
        _each(
            _("Reason and condition"),
            lines,
            lambda d: bool(d.line.condition) and (bool(d.line.reason) or not return_type.reasons),
            _("Every line has a reason and a condition."),
            _("No reason or condition yet"),
        ),
    ]
    questions = questions_of(return_type.policy or {})
    if questions:
        checks.append(
            _each(
                _("Condition questionnaire"),
                lines,
                lambda d: _answered(questions, d),
                _("Every line's condition questions are answered."),
                _("Condition questions not answered (or asked again since)"),
            )
        )
    if return_type.requires_photos:
        checks.append(
            _each(
                _("Photos"),
                lines,
                lambda d: bool(d.photos),
                _("Every line has a photo."),
                _("No photo"),
            )
        )
    if return_type.requires_description:
        checks.append(
            _each(
                _("Description"),
                lines,
                lambda d: bool(d.line.description.strip()),
                _("Every line is described."),
                _("No description"),
            )
        )
    return checks


def _answered(questions, d: DraftLine) -> bool:
    try:
        given = claim(questions, d.answers)
    except UnknownAnswer:  # answered under an earlier questionnaire
        return False
    return given.complete and given.grade == d.line.condition


def _each(label, lines: list[DraftLine], ok, passed_message: str, failed_prefix: str) -> Check:
    failing = [d for d in lines if not ok(d)]
    if not failing:
        return Check(label, True, passed_message if lines else _("No lines yet."))
    skus = ", ".join(d.product.sku for d in failing[:3])
    if len(failing) > 3:
        message = _(
            "%(problem)s: %(skus)s and %(more)s more.",
            problem=failed_prefix,
            skus=skus,
            more=len(failing) - 3,
        )
    else:
        message = _("%(problem)s: %(skus)s.", problem=failed_prefix, skus=skus)
    return Check(label, False, message)
