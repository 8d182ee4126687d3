"""Typed parameters that guards and actions declare, and that configs fill in."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from workflow_designer.engine.errors import ParamError
from workflow_designer.policy.words import gettext as _


def shown(raw: Any, limit: int = 40) -> str:
    """``raw`` as a short string for a message, however long or nested it is."""
    text = raw if isinstance(raw, str) else repr(raw)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True, kw_only=True)
class Param:
    """A named parameter: parses the JSON value a config gives, or raises ParamError."""

    name: str
    description: str
    type_name: str = "value"

    def parse(self, raw: Any) -> Any:
        """The typed value for ``raw``; raises ParamError with a human reason."""
        raise NotImplementedError

    def spec(self) -> dict[str, Any]:
        """A JSON description the designer renders as a form field."""
        return {"name": self.name, "type": self.type_name, "description": str(self.description)}


def _is_bounded(value: Decimal) -> bool:
    # Finite, at most 20 digits each side of the point: "1e-999999999" written out in full
    # would be a billion characters. (portal.inputs.numbers.is_bounded; not imported, as
    # the designer's core does not depend on the portal.)
    exponent = value.as_tuple().exponent
    return value.is_finite() and value.adjusted() <= 20 and int(exponent) >= -20


@dataclass(frozen=True, kw_only=True)
class DecimalParam(Param):
    """A money amount: a string such as "2500.00" or a whole number, never a float."""

    type_name: str = "decimal"
    minimum: Decimal | None = Decimal(0)

    def parse(self, raw: Any) -> Decimal:
        if isinstance(raw, bool) or not isinstance(raw, str | int):
            # Floats are refused on purpose: 0.1 in JSON is not 0.1 in binary.
            raise ParamError(_('must be an amount written as a string, such as "2500.00"'))
        try:
            value = Decimal(raw.strip() if isinstance(raw, str) else raw)
        except InvalidOperation:
            raise ParamError(_("'%(value)s' is not an amount", value=shown(raw))) from None
        if not _is_bounded(value):
            raise ParamError(_("'%(value)s' is not an amount", value=shown(raw)))
        if self.minimum is not None and value < self.minimum:
            raise ParamError(_("must be at least %(minimum)s", minimum=self.minimum))
        return value

    def spec(self) -> dict[str, Any]:
        minimum = None if self.minimum is None else str(self.minimum)
        return {**super().spec(), "minimum": minimum}


@dataclass(frozen=True, kw_only=True)
class IntParam(Param):
    """A whole number within bounds (e.g. hours > 0)."""

    type_name: str = "int"
    minimum: int = 1
    maximum: int | None = None

    def parse(self, raw: Any) -> int:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ParamError(_("must be a whole number"))
        if raw < self.minimum:
            raise ParamError(_("must be at least %(minimum)s", minimum=self.minimum))
        if self.maximum is not None and raw > self.maximum:
            raise ParamError(_("must be at most %(maximum)s", maximum=self.maximum))
        return raw

    def spec(self) -> dict[str, Any]:
        return {**super().spec(), "minimum": self.minimum, "maximum": self.maximum}


@dataclass(frozen=True, kw_only=True)
class ChoiceParam(Param):
    """One string out of a fixed list (an enum, a recipient, a template name)."""

    type_name: str = "choice"
    choices: tuple[str, ...]

    def parse(self, raw: Any) -> str:
        if not isinstance(raw, str) or raw not in self.choices:
            raise ParamError(
                _(
                    "'%(value)s' is not one of %(choices)s",
                    value=shown(raw),
                    choices=", ".join(self.choices),
                )
            )
        return raw

    def spec(self) -> dict[str, Any]:
        return {**super().spec(), "choices": list(self.choices)}
