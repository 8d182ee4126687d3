"""The words stored in RMA columns, defined once: grades, dispositions and resolutions.

Pure (no SQLAlchemy): the models declare their columns and CHECK constraints from these
enums, the policy rules and the workflow guards read them, and the pages label them.
Values are stored as they are; never rename one without a migration. Their labels are
what people read: ``label`` is the label in the reader's language (English outside a
request), ``lazy_label`` the same label translated only when it is shown (for choices built
once, at import).
"""

from __future__ import annotations

import enum
from typing import Any

from workflow_designer.policy.words import lazy_gettext as _l

# A line inspected in several grades (or sent several ways) shows this instead of one value.
MIXED = "mixed"


class Grade(enum.StrEnum):
    """Condition of a unit; returned stock is held apart from new stock by grade."""

    NEW = "new"
    OPEN_PACKAGING = "open_packaging"
    USED = "used"
    LIGHTLY_DAMAGED = "lightly_damaged"
    HEAVILY_DAMAGED = "heavily_damaged"
    DEFECTIVE = "defective"

    @property
    def label(self) -> str:
        return str(_GRADE_LABELS[self])

    @property
    def lazy_label(self) -> Any:
        return _GRADE_LABELS[self]

    @property
    def phrase(self) -> str:
        """The grade inside a sentence ("3 × open packaging"): a message of its own, not
        the label lower-cased, so each language writes it as it does mid-sentence."""
        return str(_GRADE_PHRASES[self])


_GRADE_LABELS = {
    Grade.NEW: _l("New"),
    Grade.OPEN_PACKAGING: _l("Open packaging"),
    Grade.USED: _l("Used"),
    Grade.LIGHTLY_DAMAGED: _l("Lightly damaged"),
    Grade.HEAVILY_DAMAGED: _l("Heavily damaged"),
    Grade.DEFECTIVE: _l("Defective"),
}
_GRADE_PHRASES = {
    Grade.NEW: _l("new"),
    Grade.OPEN_PACKAGING: _l("open packaging"),
    Grade.USED: _l("used"),
    Grade.LIGHTLY_DAMAGED: _l("lightly damaged"),
    Grade.HEAVILY_DAMAGED: _l("heavily damaged"),
    Grade.DEFECTIVE: _l("defective"),
}


class Disposition(enum.StrEnum):
    """Where graded units go."""

    RESTOCK = "restock"
    B_STOCK = "b_stock"
    REFURBISH = "refurbish"
    RETURN_TO_MANUFACTURER = "return_to_manufacturer"
    SCRAP = "scrap"

    @property
    def label(self) -> str:
        return str(_DISPOSITION_LABELS[self])

    @property
    def lazy_label(self) -> Any:
        return _DISPOSITION_LABELS[self]


_DISPOSITION_LABELS = {
    Disposition.RESTOCK: _l("Restock as new"),
    Disposition.B_STOCK: _l("B-stock"),
    Disposition.REFURBISH: _l("Refurbish"),
    Disposition.RETURN_TO_MANUFACTURER: _l("Return to manufacturer"),
    Disposition.SCRAP: _l("Scrap"),
}


class Resolution(enum.StrEnum):
    """How an RMA is settled; a return type offers some of these."""

    CREDIT = "credit"
    REFUND = "refund"
    EXCHANGE = "exchange"
    REPLACEMENT_ORDER = "replacement_order"

    @property
    def label(self) -> str:
        return str(_RESOLUTION_LABELS[self])

    @property
    def lazy_label(self) -> Any:
        return _RESOLUTION_LABELS[self]


_RESOLUTION_LABELS = {
    Resolution.CREDIT: _l("Credit memo"),
    Resolution.REFUND: _l("Refund"),
    Resolution.EXCHANGE: _l("Exchange"),
    Resolution.REPLACEMENT_ORDER: _l("Credit against replacement order"),
}

# Units sent these ways go back into stock (by their grade).
STOCKED_DISPOSITIONS = frozenset({Disposition.RESTOCK, Disposition.B_STOCK, Disposition.REFURBISH})

# Every grade but new is sold as B-stock.
B_STOCK_GRADES: tuple[Grade, ...] = tuple(g for g in Grade if g is not Grade.NEW)

# Where a grade goes when the return type's policy does not say (plain strings: policy
# documents are JSON).
DEFAULT_DISPOSITIONS: dict[str, str] = {
    Grade.NEW.value: Disposition.RESTOCK.value,
    Grade.OPEN_PACKAGING.value: Disposition.RESTOCK.value,
    Grade.USED.value: Disposition.B_STOCK.value,
    Grade.LIGHTLY_DAMAGED.value: Disposition.REFURBISH.value,
    Grade.HEAVILY_DAMAGED.value: Disposition.SCRAP.value,
    Grade.DEFECTIVE.value: Disposition.RETURN_TO_MANUFACTURER.value,
}


def stored(vocabulary: type[enum.StrEnum]) -> tuple[str, ...]:
    """The plain strings ``vocabulary`` stores, in declaration order."""
    return tuple(member.value for member in vocabulary)


# What an RMA line may hold: one grade or disposition, or MIXED.
LINE_GRADES: tuple[str, ...] = (*stored(Grade), MIXED)
LINE_DISPOSITIONS: tuple[str, ...] = (*stored(Disposition), MIXED)
RESOLUTIONS: tuple[str, ...] = stored(Resolution)
