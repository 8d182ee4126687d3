"""The default return types, each running a published default workflow template."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from models import ReturnType, User
from workflow_designer.engine.templates import TEMPLATES, load_template
from workflow_designer.policy import default_policy
from workflow_designer.runtime.policy_versions import first_version
from workflow_designer.runtime.versions import create_workflow, publish


@dataclass(frozen=True)
class DefaultReturnType:
    code: str
    template: str
    description: str
    reasons: tuple[str, ...]
    resolutions: tuple[str, ...]
    requires_photos: bool = False
    requires_description: bool = False
    # Reasons that offer an exchange first (size, colour, fit; every rotation reason).
    exchange_reasons: tuple[str, ...] = ()


DEFAULT_RETURN_TYPES = (
    DefaultReturnType(
        code="ROTATION",
        template="stock_rotation",
        description=(
            "Send back frames that do not sell in exchange for new stock, within your "
            "rotation allowance."
        ),
        reasons=("Slow seller", "Range change", "Overstock"),
        resolutions=("credit", "replacement_order", "exchange"),
        exchange_reasons=("Slow seller", "Range change", "Overstock"),
    ),
    DefaultReturnType(
        code="DEFECTIVE",
        template="defective_warranty",
        description="Frames with a manufacturing defect, under warranty.",
        reasons=("Broken hinge", "Coating defect", "Loose rivet", "Discolouration", "Other"),
        resolutions=("credit", "exchange"),
        requires_photos=True,
        requires_description=True,
    ),
    DefaultReturnType(
        code="DAMAGED",
        template="damaged_in_transit",
        description="Goods that arrived damaged. Report within 14 days of delivery.",
        reasons=("Crushed parcel", "Broken frame", "Scratched lenses"),
        resolutions=("credit", "exchange"),
        requires_photos=True,
    ),
    DefaultReturnType(
        code="WRONG_ITEM",
        template="wrong_item",
        description="You received a different frame, colour or size than you ordered.",
        reasons=("Wrong model", "Wrong colour", "Wrong size", "Not ordered"),
        resolutions=("credit", "exchange"),
        exchange_reasons=("Wrong colour", "Wrong size"),
    ),
)


def install_default_return_types(session: Session, actor: User | None) -> list[ReturnType]:
    """Create and publish one workflow per default template, and its return type."""
    return_types = []
    for spec in DEFAULT_RETURN_TYPES:
        name = TEMPLATES[spec.template]
        version = create_workflow(
            session,
            code=spec.template,
            name=name,
            config=load_template(spec.template),
            actor=actor,
        )
        publish(session, version, actor)
        return_type = ReturnType(
            code=spec.code,
            name=name,
            description=spec.description,
            workflow_id=version.workflow_id,
            reasons=list(spec.reasons),
            resolutions=list(spec.resolutions),
            exchange_reasons=list(spec.exchange_reasons),
            policy=default_policy(spec.code),
            requires_photos=spec.requires_photos,
            requires_description=spec.requires_description,
        )
        session.add(return_type)
        return_types.append(return_type)
    session.flush()
    for return_type in return_types:
        first_version(session, return_type, actor, "The default policy.")
    return return_types
