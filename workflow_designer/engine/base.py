"""Base classes for the guards and actions a workflow config may name."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from workflow_designer.engine.context import FireContext
from workflow_designer.engine.errors import ActionUnavailable, ParamError
from workflow_designer.engine.params import Param


@dataclass(frozen=True)
class GuardResult:
    """Whether a guard let a transition through, and why, in words a user understands."""

    passed: bool
    reason: str


class Registered:
    """What guards and actions share: a name, words for the designer, typed parameters."""

    kind: ClassVar[str] = "entry"
    name: ClassVar[str]
    label: ClassVar[str]
    description: ClassVar[str]
    params: ClassVar[tuple[Param, ...]] = ()

    @classmethod
    def param(cls, name: str) -> Param | None:
        """The declared parameter called ``name``, if any."""
        return next((p for p in cls.params if p.name == name), None)

    @classmethod
    def parse_params(cls, raw: Mapping[str, Any] | None) -> dict[str, Any]:
        """Typed values for ``raw``; raises ParamError on the first problem found."""
        raw = {} if raw is None else raw
        where = f"{cls.kind} '{cls.name}'"
        for key in raw:
            if cls.param(key) is None:
                raise ParamError(f"{where} takes no parameter '{key}'")
        values = {}
        for param in cls.params:
            if param.name not in raw:
                raise ParamError(f"{where} needs the parameter '{param.name}'")
            try:
                values[param.name] = param.parse(raw[param.name])
            except ParamError as exc:
                raise ParamError(f"{where}, parameter '{param.name}': {exc}") from None
        return values

    @classmethod
    def describe(cls) -> dict[str, Any]:
        """A JSON description the designer lists: name, label, description, parameters."""
        return {
            "name": cls.name,
            "label": str(cls.label),
            "description": str(cls.description),
            "params": [p.spec() for p in cls.params],
        }


class GuardBase(Registered):
    """A named condition on a transition. ``check`` must not change anything."""

    kind: ClassVar[str] = "guard"

    # ``*args`` makes this a gradual signature for the type checker, so each guard may name
    # its parameters as keyword-only arguments; they are always passed by keyword.
    def check(self, ctx: FireContext, *args: Any, **params: Any) -> GuardResult:
        """Decide whether the transition may fire, with a reason either way."""
        raise NotImplementedError


class ActionBase(Registered):
    """A named effect of a transition or of entering a state.

    In-memory changes to the RMA go through ``ctx.set_rma``; anything for the database is
    either recorded in ``ctx.effects`` or, for actions with ``needs_session``, written
    through ``ctx.session`` without committing, so the caller's rollback discards it.
    """

    kind: ClassVar[str] = "action"
    needs_session: ClassVar[bool] = False

    # A gradual signature, as ``GuardBase.check``: parameters are always passed by keyword.
    def run(self, ctx: FireContext, *args: Any, **params: Any) -> None:
        """Do the action; raise to abort the whole fire."""
        raise NotImplementedError

    def perform(self, ctx: FireContext, params: Mapping[str, Any]) -> None:
        """Run with already-parsed parameters, refusing if a needed session is missing."""
        if self.needs_session and ctx.session is None:
            raise ActionUnavailable(f"action '{self.name}' needs a database session")
        self.run(ctx, **params)
