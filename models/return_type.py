"""Return types: what a retailer can ask for, under which policy and workflow; and the
numbered versions of each return type's policy."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, CreatedAt, JsonDocument
from workflow_designer.policy.words import localized

if TYPE_CHECKING:
    from models.account import User
    from models.workflow import Workflow

POLICY_NOTE_LENGTH = 500
DESCRIPTION_LENGTH = 2000
EXCEPTION_PROMPT_LENGTH = 1000
REASON_LENGTH = 80
# The texts of a return type that retailers read, translatable per language.
TRANSLATED_TEXTS = ("name", "description", "exception_prompt")


class ReturnType(Base):
    __tablename__ = "return_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    workflow_id: Mapped[int] = mapped_column(
        ForeignKey("workflows.id", ondelete="RESTRICT"), index=True
    )
    # Reasons, resolutions and the policy rules are designer-edited documents.
    reasons: Mapped[list[str]] = mapped_column(JsonDocument, default=list)
    resolutions: Mapped[list[str]] = mapped_column(JsonDocument, default=list)
    # The reasons (as typed, a subset of ``reasons``) for which the draft offers an
    # exchange before a credit (portal.requests.exchange).
    exchange_reasons: Mapped[list[str]] = mapped_column(JsonDocument, default=list)
    policy: Mapped[dict[str, Any]] = mapped_column(JsonDocument, default=dict)
    requires_photos: Mapped[bool] = mapped_column(default=False)
    requires_description: Mapped[bool] = mapped_column(default=False)
    is_archived: Mapped[bool] = mapped_column(default=False)
    # Shown to the retailer above the exception justification box; "" shows only the
    # product's own hint.
    exception_prompt: Mapped[str] = mapped_column(Text, default="")
    # The texts above in other languages than the distributor's, which they are typed in:
    # {"de": {"name": …, "description": …, "exception_prompt": …, "reasons": {typed: …}}}.
    translations: Mapped[dict[str, Any]] = mapped_column(JsonDocument, default=dict)
    created_at: Mapped[CreatedAt]

    workflow: Mapped[Workflow] = relationship()

    def __repr__(self) -> str:
        return f"<ReturnType {self.code}>"

    # What retailers and staff read: the reader's language when translated, else as typed.
    # The designer shows the typed texts (what the admin edits).

    @property
    def shown_name(self) -> str:
        return shown_text(self.name, self.translations, "name")

    @property
    def shown_description(self) -> str:
        return shown_text(self.description, self.translations, "description")

    @property
    def shown_exception_prompt(self) -> str:
        return shown_text(self.exception_prompt, self.translations, "exception_prompt")

    def shown_reason(self, reason: str) -> str:
        return shown_reason(reason, self.translations)


def _documents(translations: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(translations, dict):
        return {}
    return {code: doc for code, doc in translations.items() if isinstance(doc, dict)}


def shown_text(text: str, translations: Any, key: str) -> str:
    """``text`` (a return type's ``key``) in the reader's language when translated; for
    rows read with Core, which select ``ReturnType.translations`` beside the text."""
    if not text:
        return text
    return localized(text, {code: doc.get(key) for code, doc in _documents(translations).items()})


def shown_reason(reason: str, translations: Any) -> str:
    """A reason as typed (what a line stores) in the reader's language when translated."""
    if not reason:
        return reason
    variants = {}
    for code, doc in _documents(translations).items():
        reasons = doc.get("reasons")
        variants[code] = reasons.get(reason) if isinstance(reasons, dict) else None
    return localized(reason, variants)


class PolicyVersion(Base):
    """One saved state of a return type's policy document (``ReturnType.policy``).

    Every save that changes the policy adds the next number; earlier versions are kept as
    they were (``workflow_designer.runtime.policy_versions`` refuses any change to one).
    The highest number is the current policy, and ``ReturnType.policy`` holds its params.
    """

    __tablename__ = "policy_versions"
    __table_args__ = (
        # Two admins saving at once can never both get the same number.
        UniqueConstraint("return_type_id", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    return_type_id: Mapped[int] = mapped_column(ForeignKey("return_types.id", ondelete="RESTRICT"))
    number: Mapped[int]
    params: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    note: Mapped[str] = mapped_column(String(POLICY_NOTE_LENGTH), default="")
    # The version whose params a restore copied; None for an edit.
    restored_from: Mapped[int | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[CreatedAt]

    return_type: Mapped[ReturnType] = relationship()
    created_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<PolicyVersion {self.return_type_id} v{self.number}>"
