"""What the demo invoiced, kept compactly so RMAs can return real lines at any scale.

Two million order lines as Python objects would cost gigabytes; here a line is three
entries in typed arrays, and ``left`` counts down what RMAs have taken, so no line is
ever returned beyond its invoiced quantity.
"""

from __future__ import annotations

import random
from array import array
from datetime import date
from decimal import Decimal


class OrderBook:
    def __init__(self) -> None:
        self.account = array("l")  # per order: account id
        self.invoiced = array("l")  # per order: invoice date ordinal
        self.first_line = array("q")  # per order: id of its first line (lines are consecutive)
        self.line_count = array("h")
        self.currency: list[str] = []
        self.line_base: int | None = None  # id of the first line of all
        self.left = array("h")  # per line: quantity not yet on an RMA
        self.cents = array("q")  # per line: unit net price in cents

    def add_order(self, account_id: int, invoiced: date, currency: str, first_line: int) -> None:
        if self.line_base is None:
            self.line_base = first_line
        self.account.append(account_id)
        self.invoiced.append(invoiced.toordinal())
        self.first_line.append(first_line)
        self.line_count.append(0)
        self.currency.append(currency)

    def add_line(self, quantity: int, price: Decimal) -> None:
        self.line_count[-1] += 1
        self.left.append(quantity)
        self.cents.append(int(price * 100))

    def __len__(self) -> int:
        return len(self.account)

    def invoice_date(self, order: int) -> date:
        return date.fromordinal(self.invoiced[order])

    def random_order(self, rng: random.Random) -> int:
        return rng.randrange(len(self.account))

    def take(self, rng: random.Random, order: int) -> list[tuple[int, int, int]]:
        """Up to four lines of ``order`` with some quantity left, taking a random part of
        what is left: (line id, quantity, unit price in cents). One time in twelve, all of
        what is left of the whole invoice: the big returns that need a manager's approval."""
        first, count = self.first_line[order], self.line_count[order]
        everything = rng.random() < 1 / 12
        size = count if everything else min(count, rng.choice((1, 1, 2, 2, 3, 4)))
        picks = rng.sample(range(count), size)
        taken = []
        for offset in sorted(picks):
            index = first - self.line_base + offset
            left = self.left[index]
            if left <= 0:
                continue
            quantity = left if everything else rng.randint(1, left)
            self.left[index] = left - quantity
            taken.append((first + offset, quantity, self.cents[index]))
        return taken
