"""The demo's condition questionnaire: the warranty return type asks how the frame, the
lenses and the accessories came back, so a demo draft shows answers setting the claimed
condition and the estimate. Added as the return type's second policy version."""

from __future__ import annotations

from sqlalchemy.orm import Session

from models import ReturnType, User
from workflow_designer.policy.questionnaire_text import questions_from_text
from workflow_designer.runtime.policy_versions import record_policy

RETURN_TYPE = "DEFECTIVE"
# In the policy editor's text form (``policy.questionnaire_text``).
TEXT = """Frame condition
- Like new, no marks | open_packaging | 0
- Light marks or scratches | used | 0
- Bent or loose hinge | lightly_damaged | 0
- Broken frame or hinge | defective | 0
Demo lenses and coating
- Clear, no scratches | open_packaging | 0
- Scratched | used | 5
- Missing | used | 10
Case and cleaning cloth
- Both included | open_packaging | 0
- One of them missing | open_packaging | 3
- Neither included | open_packaging | 5
"""
QUESTIONS = questions_from_text(TEXT)


def add_questionnaire(session: Session, return_types: list[ReturnType], admin: User) -> None:
    for return_type in return_types:
        if return_type.code == RETURN_TYPE:
            policy = dict(return_type.policy or {})
            policy["condition_questionnaire"] = {"enabled": True, "questions": QUESTIONS}
            record_policy(session, return_type, policy, admin, "Condition questionnaire.")
