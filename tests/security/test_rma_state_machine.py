"""Random sequences of RMA operations by random people, checked after every step.

A Hypothesis state machine drives the real domain operations — start a rotation request,
add lines, ask for an exception, submit (and re-post the same form), approve, deny or send
back, ship, cancel, receive, grade, finish the inspection, resolve, close — each as one of
six people: the retailer and the rep of account A, the retailer of B, a rep of other
accounts, warehouse staff and an admin. Each operation loads the RMA through the scoped
loader first, as its view does, and runs in a savepoint that is rolled back when it is
refused, as a view rolls back its transaction. ``advance`` takes an RMA several steps down
the expected path so that random runs reach inspection and credit.

After every step:

- the allowance used (submitted rotations that are not rejected or cancelled, at what was
  credited before any exchange bonus once credited, else at their submitted value) never
  exceeds the allowance, which is a blocking rule here, so no exception can lift it;
- per line, 0 ≤ authorized ≤ requested, and received ≤ authorized unless the line is
  flagged as a discrepancy (the warehouse records what arrived, and says so);
- per order line, what counting RMAs request never exceeds what was invoiced;
- the account's ledger balance equals the sum of its credit memos, each memo is the sum
  of its lines, and exactly the RMAs that reached "credited" or "exchanged" have a memo;
- every successful operation that changes the state appended exactly one event, the
  events of an RMA chain from "draft" to its current state, and each was fired by a
  role the workflow allows for that transition.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from werkzeug.exceptions import NotFound

from models import (
    CreditMemo,
    CreditMemoLine,
    Grade,
    LedgerEntry,
    Rma,
    Role,
)
from models.base import utcnow
from portal.approvals.operations import DecisionError, decide
from portal.credits.operations import ResolutionError, resolve_rma
from portal.requests.contents import draft_contents
from portal.requests.errors import RequestError
from portal.requests.operations import add_lines, create_draft, request_exception
from portal.requests.submission import SubmitPayload, content_digest, submit_request
from portal.rmas.operations import fire_action
from portal.rmas.queries import load_rma
from portal.warehouse.inspection import record_grading
from portal.warehouse.operations import ReceivingError, UnconfirmedReceipt, receive
from tests.factories import (
    make_account,
    make_order,
    make_product,
    make_published_workflow,
    make_retailer,
    make_return_address,
    make_return_type,
    make_user,
    make_warehouse,
)
from tests.shop import POLICY as CREDIT_POLICY
from workflow_designer.runtime.firing import MACHINES, TransitionRefused
from workflow_designer.runtime.policy_facts import credited_amount

ALLOWANCE_PERCENT = Decimal(40)
POLICY = {
    **CREDIT_POLICY,
    "allowance": {
        "enabled": True,
        "mode": "blocking",
        "percent": str(ALLOWANCE_PERCENT),
        "period_days": 365,
    },
    # Small requests need an exception, so the sales rep's approval step is exercised.
    "request_size": {"enabled": True, "mode": "exception", "min_units": 4},
}
# (quantity, unit price): €12,800 bought, so a €5,120 allowance; requests of €2,500 or
# more go to the manager's approval step, and the 12 units of the second line run out.
ORDER_LINES = ((30, "200.00"), (12, "400.00"), (40, "50.00"))
MAX_REQUESTS = 3  # more would mostly be drafts nobody moves on
ACTORS = ("retailer_a", "rep_a", "retailer_b", "rep_other", "warehouse", "admin")
REQUESTERS = ("retailer_a", "rep_a", "retailer_b", "rep_other")  # the request pages' roles
DECISIONS = ("approve", "reject", "request_changes")
ACTIONS = (
    "ship",
    "cancel",
    "start_inspection",
    "finish_inspection",
    "return_to_retailer",
    "ship_back",
    "close",
)
OPERATIONS = (*DECISIONS, *ACTIONS, "receive", "grade", "resolve")
RESOLUTIONS = ("credit", "exchange", "refund")  # refund is not offered: always refused
# The state an RMA waits in → who moves it on, and how (``advance``).
NEXT = {
    "authorized": ("retailer_a", "ship"),
    "received": ("warehouse", "start_inspection"),
    "credited": ("admin", "close"),
    "exchanged": ("admin", "close"),
    "to_be_returned": ("warehouse", "ship_back"),
}
GRADES = (Grade.NEW, Grade.OPEN_PACKAGING, Grade.USED, Grade.DEFECTIVE)
REFUSED = (RequestError, TransitionRefused, DecisionError, ReceivingError, ResolutionError)
CREDITED_STATES = {"credited", "exchanged"}
NOT_COUNTING = {"rejected", "cancelled"}


class RmaOperations(RuleBasedStateMachine):
    connection = None  # set by the test: the test's connection, rolled back afterwards

    rmas = Bundle("rmas")

    def __init__(self) -> None:
        super().__init__()
        MACHINES.clear()  # workflow version ids repeat once an example is rolled back
        # Each example works in a savepoint of its own, dropped in teardown().
        self.session = Session(bind=self.connection, join_transaction_mode="create_savepoint")
        self._build_world()
        self.events = Counter()  # successful transitions per RMA number
        self.keys: dict[str, tuple[str, SubmitPayload]] = {}
        self.numbers: list[str] = []

    def teardown(self) -> None:
        self.session.close()

    def _build_world(self) -> None:
        session = self.session
        rep_a = make_user(session, Role.SALES_REP)
        rep_other = make_user(session, Role.SALES_REP)
        self.account = make_account(session, sales_rep=rep_a, region="DE")
        account_b = make_account(session, sales_rep=rep_other, region="DE")
        make_return_address(session, make_warehouse(session), "DE")
        invoiced = utcnow().date().replace(day=1)  # inside the allowance period, always
        products = [(make_product(session), qty, price) for qty, price in ORDER_LINES]
        order = make_order(session, self.account, products, invoice_date=invoiced)
        self.order_lines = list(order.lines)
        version = make_published_workflow(session, "stock_rotation")
        self.transitions = version.config["transitions"]
        self.return_type = make_return_type(
            session, version.workflow_id, policy=POLICY, resolutions=["credit", "exchange"]
        )
        self.users = {
            "retailer_a": make_retailer(session, self.account),
            "rep_a": rep_a,
            "retailer_b": make_retailer(session, account_b),
            "rep_other": rep_other,
            "warehouse": make_user(session, Role.WAREHOUSE),
            "admin": make_user(session, Role.ADMIN),
        }
        self.allowance = (
            sum((Decimal(price) * qty for qty, price in ORDER_LINES), Decimal(0))
            * ALLOWANCE_PERCENT
            / 100
        )

    # --- running operations as a view would --------------------------------------------

    def _attempt(self, number: str, actor: str, operation) -> bool:
        """Run ``operation(rma, user)`` on the RMA loaded in ``actor``'s scope, in a
        savepoint; a refusal rolls it back. Returns whether it went through."""
        user = self.users[actor]
        try:
            with self.session.begin_nested():
                rma = load_rma(self.session, user, number)
                fired = operation(rma, user)
        except NotFound:
            assert actor in ("retailer_b", "rep_other"), f"{actor} could not load {number}"
            return False
        except REFUSED:
            return False
        finally:
            self.session.expire_all()
        assert actor not in ("retailer_b", "rep_other"), f"{actor} acted on {number}"
        self.events[number] += fired
        return True

    # --- rules ---------------------------------------------------------------------------

    @initialize(target=rmas)
    def first_request(self):
        return self._start("retailer_a")

    @precondition(lambda self: len(self.numbers) < MAX_REQUESTS)
    @rule(target=rmas, creator=st.sampled_from(("retailer_a", "rep_a")))
    def start_request(self, creator):
        return self._start(creator)

    def _start(self, creator: str) -> str:
        user = self.users[creator]
        rma = create_draft(self.session, user, self.account, self.return_type, utcnow())
        self.numbers.append(rma.number)
        return rma.number

    @rule(
        number=rmas,
        actor=st.sampled_from(REQUESTERS),
        line=st.integers(0, len(ORDER_LINES) - 1),
        quantity=st.none() | st.integers(1, 15),
        exception=st.booleans(),
    )
    def edit_draft(self, number, actor, line, quantity, exception):
        if exception:
            self._ask_for_an_exception(number, actor)
        else:
            self._add_lines(number, actor, line, quantity)

    @rule(
        number=rmas,
        actor=st.sampled_from(REQUESTERS),
        resolution=st.sampled_from(("credit", "exchange")),
        again=st.booleans(),
    )
    def submit(self, number, actor, resolution, again):
        if again and number in self.keys:
            self._post_the_submit_form_again(number, actor)
        else:
            self._submit(number, actor, resolution)

    @rule(
        number=rmas,
        actor=st.sampled_from(ACTORS),
        operation=st.sampled_from(OPERATIONS),
        data=st.data(),
    )
    def operate(self, number, actor, operation, data):
        """Anyone tries anything on the RMA page, the approvals, the warehouse or the
        admin's resolution page."""
        if operation in DECISIONS:
            fee = data.draw(st.none() | st.sampled_from((Decimal(0), Decimal("12.5"))))
            self._decide(number, actor, operation, fee)
        elif operation == "receive":
            self._receive(number, actor, data)
        elif operation == "grade":
            self._grade(number, actor, data)
        elif operation == "resolve":
            self._resolve(number, actor, data.draw(st.sampled_from(RESOLUTIONS)))
        else:
            self._act(number, actor, operation, data.draw(st.sampled_from(("", "Checked."))))

    @rule(number=rmas, steps=st.integers(1, 12), data=st.data())
    def advance(self, number, steps, data):
        """Take the RMA down the expected path, each step by the person it waits for."""
        for _ in range(steps):
            rma = self.session.scalar(select(Rma).where(Rma.number == number))
            if not self._next_step(rma, data):
                return

    def _next_step(self, rma: Rma, data) -> bool:
        number, state = rma.number, rma.state
        if state == "draft":
            return self._next_draft_step(rma, data)
        if state in ("rep_review", "admin_review"):
            approver = "rep_a" if state == "rep_review" else "admin"
            decision = data.draw(st.sampled_from(("approve",) * 4 + ("reject", "request_changes")))
            return self._decide(number, approver, decision)
        if state == "awaiting_receipt":
            return self._receive(number, "warehouse", data, mostly_as_authorized=True)
        if state == "under_inspection":
            graded = self._grade(number, "warehouse", data)
            return graded and self._act(number, "warehouse", "finish_inspection")
        discrepancy = any(line.has_discrepancy for line in rma.lines)
        if state == "inspected" and discrepancy and data.draw(st.booleans()):
            return self._act(number, "warehouse", "return_to_retailer")
        if state == "inspected":
            return self._resolve(number, "admin", rma.resolution or "credit")
        if state not in NEXT:
            return False  # a final state, or one only a change of request can leave
        actor, trigger = NEXT[state]
        return self._act(number, actor, trigger)

    def _next_draft_step(self, rma: Rma, data) -> bool:
        number = rma.number
        if not rma.lines or data.draw(st.integers(0, 3)) == 0:
            line = data.draw(st.integers(0, len(ORDER_LINES) - 1))
            return self._add_lines(number, "retailer_a", line, data.draw(st.integers(1, 12)))
        if not rma.exception_requested and data.draw(st.booleans()):
            return self._ask_for_an_exception(number, "retailer_a")
        resolution = data.draw(st.sampled_from(("credit",) * 3 + ("exchange",)))
        return self._submit(number, "retailer_a", resolution)

    # --- the operations, each as its view calls it ----------------------------------------

    def _add_lines(self, number, actor, line, quantity) -> bool:
        picks = {self.order_lines[line].id: quantity}

        def operation(rma, user):
            add_lines(self.session, user, rma, picks, reason="Slow seller", condition="new")
            return 0

        return self._attempt(number, actor, operation)

    def _ask_for_an_exception(self, number, actor) -> bool:
        def operation(rma, user):
            request_exception(self.session, user, rma, "A slow season; please make an exception.")
            return 0

        return self._attempt(number, actor, operation)

    def _submit(self, number, actor, resolution) -> bool:
        key = f"{number}-{len(self.keys)}"

        def operation(rma, user):
            digest = content_digest(rma, draft_contents(self.session, rma))
            payload = SubmitPayload(number, resolution, digest)
            today, now = utcnow().date(), utcnow()
            submitted = submit_request(
                self.session, user, rma, key=key, payload=payload, today=today, now=now
            )
            assert submitted is rma
            self.keys[number] = (key, payload)
            return 1

        return self._attempt(number, actor, operation)

    def _post_the_submit_form_again(self, number, actor) -> bool:
        """A double click: the same key and payload find the RMA and fire nothing."""
        key, payload = self.keys[number]

        def operation(rma, user):
            today, now = utcnow().date(), utcnow()
            found = submit_request(
                self.session, user, rma, key=key, payload=payload, today=today, now=now
            )
            assert found.number == number
            return 0

        return self._attempt(number, actor, operation)

    def _decide(self, number, actor, decision, fee=None) -> bool:
        def operation(rma, user):
            decide(self.session, rma, user, decision, "Looked at it.", fee)
            return 1

        return self._attempt(number, actor, operation)

    def _act(self, number, actor, trigger, comment="Checked.") -> bool:
        def operation(rma, user):
            fire_action(self.session, rma, user, trigger, comment, rma.version)
            return 1

        return self._attempt(number, actor, operation)

    def _receive(self, number, actor, data, mostly_as_authorized=False) -> bool:
        def counted(line) -> st.SearchStrategy[int]:
            anything = st.integers(0, line.quantity_authorized + 2)
            if not mostly_as_authorized:
                return anything
            return st.sampled_from((line.quantity_authorized,) * 4) | anything

        def operation(rma, user):
            counts = {line.id: data.draw(counted(line)) for line in rma.lines}
            try:
                receive(self.session, rma, user, counts)
            except UnconfirmedReceipt as unconfirmed:  # the warehouse confirms the excess
                receive(self.session, rma, user, counts, confirmation=unconfirmed.signature)
            return 1

        return self._attempt(number, actor, operation)

    def _grade(self, number, actor, data) -> bool:
        def operation(rma, user):
            for line in rma.lines:
                if line.quantity_accepted:
                    record_grading(self.session, rma, line, user, _grades(line, data))
            return 0

        return self._attempt(number, actor, operation)

    def _resolve(self, number, actor, resolution) -> bool:
        def operation(rma, user):
            resolve_rma(self.session, rma, user, resolution)
            return 1

        return self._attempt(number, actor, operation)

    # --- invariants ----------------------------------------------------------------------

    def _rmas(self) -> list[Rma]:
        return list(
            self.session.scalars(
                select(Rma)
                .where(Rma.account_id == self.account.id)
                .options(selectinload(Rma.lines), selectinload(Rma.events))
            )
        )

    @invariant()
    def allowance_is_never_exceeded(self):
        # Credited RMAs count at what was credited, the others at their submitted value. An
        # exchange bonus credited after the last submission may lift the sum above the
        # allowance (the rule judged each request when it was submitted), so it is left out.
        bonus = (
            select(func.coalesce(func.sum(CreditMemoLine.exchange_bonus), 0))
            .join(CreditMemo, CreditMemoLine.credit_memo_id == CreditMemo.id)
            .where(CreditMemo.rma_id == Rma.id)
            .correlate(Rma)
            .scalar_subquery()
        )
        counted = func.coalesce(credited_amount() - bonus, Rma.total_value)
        used = self.session.scalar(
            select(func.coalesce(func.sum(counted), 0)).where(
                Rma.account_id == self.account.id,
                Rma.submitted_at.is_not(None),
                Rma.state.not_in(NOT_COUNTING),
            )
        )
        assert Decimal(used) <= self.allowance, (used, self.allowance)

    @invariant()
    def quantities_stay_within_their_bounds(self):
        requested = Counter()
        for rma in self._rmas():
            counting = rma.submitted_at is not None and rma.state not in NOT_COUNTING
            for line in rma.lines:
                assert 0 <= line.quantity_authorized <= line.quantity_requested, line
                received_ok = line.quantity_received <= line.quantity_authorized
                assert received_ok or line.has_discrepancy, (rma.number, rma.state, line)
                if counting:
                    requested[line.order_line_id] += line.quantity_requested
        for order_line in self.order_lines:
            assert requested[order_line.id] <= order_line.quantity, order_line

    @invariant()
    def the_ledger_is_the_sum_of_the_memos(self):
        account_id = self.account.id
        memos = self.session.scalars(
            select(CreditMemo).where(CreditMemo.account_id == account_id)
        ).all()
        ledger = self.session.scalar(
            select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(
                LedgerEntry.account_id == account_id
            )
        )
        assert Decimal(ledger) == sum((memo.amount for memo in memos), Decimal(0))
        for memo in memos:
            lines = self.session.scalar(
                select(func.coalesce(func.sum(CreditMemoLine.amount), 0)).where(
                    CreditMemoLine.credit_memo_id == memo.id
                )
            )
            assert Decimal(lines) == memo.amount, memo.number
        credited = {
            rma.id
            for rma in self._rmas()
            if any(event.to_state in CREDITED_STATES for event in rma.events)
        }
        assert sorted(memo.rma_id for memo in memos) == sorted(credited)

    @invariant()
    def every_state_change_has_one_event(self):
        role_of = {user.id: user.role.value for user in self.users.values()}
        for rma in self._rmas():
            events = rma.events
            assert len(events) == self.events[rma.number], (rma.number, events)
            state = "draft"
            for event in events:
                assert event.from_state == state, (rma.number, event)
                assert role_of[event.actor_id] in self._roles(event), (rma.number, event)
                state = event.to_state
            assert rma.state == state, rma.number

    def _roles(self, event) -> set[str]:
        """The roles the workflow lets fire ``event``'s transition."""
        roles = set()
        for transition in self.transitions:
            sources = transition["source"]
            sources = [sources] if isinstance(sources, str) else sources
            if (
                transition["trigger"] == event.trigger
                and event.from_state in sources
                and transition["dest"] == event.to_state
            ):
                roles.update(transition.get("roles", ()))
        return roles


def _grades(line, data) -> Counter:
    """A random split of the line's accepted units over (at most) two grades."""
    first, second = data.draw(st.sampled_from(GRADES)), data.draw(st.sampled_from(GRADES))
    split = data.draw(st.integers(0, line.quantity_accepted))
    counts = Counter({first: split})
    counts[second] += line.quantity_accepted - split
    return counts


def test_random_rma_operations_keep_the_invariants(connection):
    machine = type("RmaOperationsHere", (RmaOperations,), {"connection": connection})
    run = settings(
        max_examples=30,
        stateful_step_count=15,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    run_state_machine_as_test(machine, settings=run)
