"""The designer's changes: return types, policies, drafts, publishing, restoring, importing.

Operations take a session and the acting admin, never read the request and never commit:
the request commits once, when its answer is not an error. A refusal is a DesignerError.
Draft edits carry the digest of the document they were made on, so an edit made on a stale
page is refused (409) instead of silently undoing someone's work.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import (
    PolicyVersion,
    RetailerAccount,
    ReturnType,
    SimulationScenario,
    User,
    VersionStatus,
    Workflow,
    WorkflowVersion,
)
from portal.designer.queries import return_types_using
from portal.designer.translations import clean_translations
from portal.inputs.text import column_length, unstorable
from workflow_designer.engine.errors import Conflict, InvalidWorkflow, Refusal
from workflow_designer.engine.problems import Problem
from workflow_designer.engine.resolutions import resolution_problems
from workflow_designer.engine.templates import TEMPLATES, load_template
from workflow_designer.engine.validation import validate
from workflow_designer.policy import validate_policy
from workflow_designer.runtime.policy_versions import record_policy
from workflow_designer.runtime.versions import (
    VersionNotEditable,
    create_workflow,
    draft_from,
    publish,
    published_version,
    update_draft,
)

Document = dict[str, Any]

SCENARIO_NAME_LENGTH = column_length(SimulationScenario.name)


class DesignerError(Refusal):
    """A designer request that cannot be carried out; the message is for the admin, and
    ``field`` names the form field it is shown beside."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class StaleDraft(DesignerError, Conflict):
    """The draft changed since the page was loaded (another tab or another admin)."""


class StalePublication(DesignerError, Conflict):
    """Another version was published since the publish confirmation was shown."""


def config_digest(config: Any) -> str:
    """A short fingerprint of a document, independent of key order (JSONB reorders keys)."""
    text = json.dumps(config, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# --- return types ------------------------------------------------------------------------


@dataclass
class ReturnTypeData:
    name: str
    code: str
    description: str
    reasons: list[str]
    resolutions: list[str]
    requires_photos: bool
    requires_description: bool
    workflow: str  # "<workflow id>" or "template:<name>"
    exception_prompt: str = ""
    # Per language: {"name": …, "description": …, "exception_prompt": …, "reasons": {typed: …}}
    translations: dict[str, dict[str, Any]] = field(default_factory=dict)
    # The languages the form offered (all but the distributor's); others are not stored.
    languages: tuple[str, ...] = ()
    # Reasons (of ``reasons``) that offer an exchange first (portal.requests.exchange).
    exchange_reasons: list[str] = field(default_factory=list)


def create_return_type(session: Session, actor: User, data: ReturnTypeData) -> ReturnType:
    """A new return type; ``template:<name>`` also creates its workflow as a first draft."""
    _check_code_free(session, data.code, None)
    return_type = ReturnType(code=data.code, policy={})
    _apply(session, actor, return_type, data)
    _refuse_unexecutable(session, return_type)
    session.add(return_type)
    session.flush()
    return return_type


def update_return_type(
    session: Session, actor: User, return_type: ReturnType, data: ReturnTypeData
) -> None:
    _check_code_free(session, data.code, return_type.id)
    return_type.code = data.code
    _apply(session, actor, return_type, data)
    _refuse_unexecutable(session, return_type)
    session.flush()


def _apply(session: Session, actor: User, return_type: ReturnType, data: ReturnTypeData) -> None:
    return_type.name = data.name.strip()
    return_type.description = data.description.strip()
    return_type.reasons = data.reasons
    return_type.exchange_reasons = [r for r in data.exchange_reasons if r in data.reasons]
    return_type.exception_prompt = data.exception_prompt.strip()
    return_type.translations = clean_translations(data.translations, data.reasons, data.languages)
    return_type.resolutions = data.resolutions
    return_type.requires_photos = data.requires_photos
    return_type.requires_description = data.requires_description
    return_type.workflow_id = _workflow_id(session, actor, data)
    # The policy's evidence rule and the evidence checkboxes are one setting shown twice;
    # changing it here is a change of the policy, so it makes a policy version too.
    evidence = (return_type.policy or {}).get("evidence")
    if isinstance(evidence, dict):
        evidence = {**evidence, "photos": data.requires_photos}
        evidence["description"] = data.requires_description
        policy = {**return_type.policy, "evidence": evidence}
        if return_type.id is None:
            return_type.policy = policy
        else:
            record_policy(session, return_type, policy, actor, "Evidence set on the return type.")


def return_type_problems(session: Session, return_type: ReturnType) -> list[Problem]:
    """The resolutions ``return_type`` offers that its workflow cannot carry out.

    Checked against the published version (what new returns run on), or the draft of a
    workflow never published yet."""
    workflow = session.get(Workflow, return_type.workflow_id)
    if workflow is None:
        return []
    version = published_version(session, workflow.id) or locked_draft(session, workflow, False)
    if version is None:
        return []
    return resolution_problems(version.config, return_type.resolutions or [], return_type.name)


def _refuse_unexecutable(session: Session, return_type: ReturnType) -> None:
    problems = return_type_problems(session, return_type)
    if problems:
        raise DesignerError(" ".join(p.message for p in problems), "resolutions")


def _workflow_id(session: Session, actor: User, data: ReturnTypeData) -> int:
    if data.workflow.startswith("template:"):
        template = data.workflow.removeprefix("template:")
        if template not in TEMPLATES:
            raise DesignerError(_("Choose one of the listed workflows."), "workflow")
        version = create_workflow(
            session,
            code=free_workflow_code(session, data.name),
            name=data.name.strip(),
            config=load_template(template),
            actor=actor,
        )
        return version.workflow_id
    # ASCII digits, at most 9 of them: always an id the column can hold.
    if not re.fullmatch(r"[0-9]{1,9}", data.workflow or ""):
        raise DesignerError(_("Choose one of the listed workflows."), "workflow")
    if session.get(Workflow, int(data.workflow)) is None:
        raise DesignerError(_("Choose one of the listed workflows."), "workflow")
    return int(data.workflow)


def _check_code_free(session: Session, code: str, own_id: int | None) -> None:
    clash = session.scalar(select(ReturnType.id).where(ReturnType.code == code))
    if clash is not None and clash != own_id:
        raise DesignerError(
            _("Another return type already uses the code %(code)s.", code=code), "code"
        )


def set_archived(return_type: ReturnType, archived: bool) -> None:
    """Archived return types are no longer offered; RMAs already made keep running."""
    return_type.is_archived = archived


def save_policy(
    session: Session, actor: User, return_type: ReturnType, policy: Document, note: str = ""
) -> PolicyVersion | None:
    """Store a policy document the form has already validated with ``validate_policy``,
    as a new policy version when it changes anything (None when it does not)."""
    version = record_policy(session, return_type, policy, actor, note)
    _sync_evidence(return_type, policy)
    return version


def restore_policy(
    session: Session, actor: User, return_type: ReturnType, version: PolicyVersion, expected: int
) -> PolicyVersion | None:
    """A new version holding ``version``'s params. ``expected`` is the number the history
    page showed as current: a restore decided on a stale page is refused (409)."""
    problems = validate_policy(version.params)
    if problems:
        raise DesignerError(
            _(
                "Version %(number)s cannot be restored as it is: %(problems)s",
                number=version.number,
                problems=" ".join(p.message for p in problems),
            )
        )
    note = f"Restored version {version.number}."
    restored = record_policy(
        session,
        return_type,
        version.params,
        actor,
        note,
        restored_from=version.number,
        expected=expected,
    )
    _sync_evidence(return_type, version.params)
    return restored


def _sync_evidence(return_type: ReturnType, policy: Document) -> None:
    evidence = policy.get("evidence")
    if isinstance(evidence, dict):
        enabled = bool(evidence.get("enabled"))
        return_type.requires_photos = enabled and bool(evidence.get("photos"))
        return_type.requires_description = enabled and bool(evidence.get("description"))


# --- workflows and drafts ------------------------------------------------------------------


def free_workflow_code(session: Session, name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:32] or "workflow"
    taken = set(session.scalars(select(Workflow.code).where(Workflow.code.startswith(base))))
    code, n = base, 2
    while code in taken:
        code, n = f"{base}_{n}", n + 1
    return code


def new_workflow(session: Session, actor: User, name: str, config: Document) -> WorkflowVersion:
    """A new workflow whose first draft is ``config`` (a template or a validated import)."""
    if not name.strip():
        raise DesignerError(_("Give the workflow a name."), "name")
    return create_workflow(
        session,
        code=free_workflow_code(session, name),
        name=name.strip(),
        config=config,
        actor=actor,
    )


def locked_draft(session: Session, workflow: Workflow, lock: bool = True) -> WorkflowVersion | None:
    """The workflow's draft, locked for the rest of the transaction on PostgreSQL."""
    query = select(WorkflowVersion).where(
        WorkflowVersion.workflow_id == workflow.id,
        WorkflowVersion.status == VersionStatus.DRAFT,
    )
    return session.scalar(query.with_for_update() if lock else query)


def working_config(
    session: Session, workflow: Workflow, lock: bool = True
) -> tuple[WorkflowVersion | None, Any]:
    """The version the designer shows (the draft, else the published one) and its document."""
    draft = locked_draft(session, workflow, lock)
    version = draft or published_version(session, workflow.id)
    return version, (version.config if version is not None else {})


def edit_draft(
    session: Session,
    workflow: Workflow,
    actor: User,
    base: str,
    change: Callable[[Document], Document],
) -> WorkflowVersion:
    """Apply ``change`` to the draft (started from the published version if there is none).

    ``base`` is the digest of the document the admin was looking at; if the draft has moved
    on since, StaleDraft is raised and nothing changes.
    """
    version, config = working_config(session, workflow)
    if version is None:
        raise DesignerError(_("This workflow has no version to edit."))
    if base != config_digest(config):
        raise StaleDraft(
            _(
                "This workflow was changed in another window or by another admin. "
                "The page now shows the latest draft; make your change again."
            )
        )
    new_config = change(config)
    if new_config == config:
        return version  # nothing changed: no draft is started for it
    if not version.is_editable:
        version = draft_from(session, version, actor)
    update_draft(session, version, new_config)
    session.flush()
    return version


def publishable_draft(
    session: Session, workflow: Workflow, base: str, lock: bool = True
) -> WorkflowVersion:
    """The draft as the page showed it (``base`` is its digest), if it may be published."""
    draft = locked_draft(session, workflow, lock)
    if draft is None:
        raise DesignerError(_("There is no draft to publish: every change is already published."))
    if base != config_digest(draft.config):
        raise StaleDraft(_("The draft changed since this page was loaded. Check it and try again."))
    problems = validate(draft.config) + users_problems(session, workflow, draft.config)
    if problems:
        raise DesignerError(
            _(
                "Fix the %(count)s problem(s) listed before publishing: RMAs cannot run on "
                "a workflow with errors.",
                count=len(problems),
            )
        )
    return draft


def publish_draft(session: Session, workflow: Workflow, actor: User, base: str) -> WorkflowVersion:
    """Publish the draft; refused while the validator reports any problem."""
    draft = publishable_draft(session, workflow, base)
    try:
        return publish(session, draft, actor)
    except (InvalidWorkflow, VersionNotEditable) as exc:  # validated above; kept for races
        raise DesignerError(str(exc)) from None


def publish_confirmed(
    session: Session, workflow: Workflow, actor: User, base: str, seen_published: int
) -> WorkflowVersion:
    """Publish the draft the admin confirmed after reading what it changes compared with
    version ``seen_published`` (0: none was published). If another version was published
    since, what they read is out of date: refused, nothing changes."""
    locked_draft(session, workflow)  # publications of one workflow queue here
    current = published_version(session, workflow.id)
    if (current.number if current else 0) != seen_published:
        now = _("version %(number)s", number=current.number) if current else _("none")
        raise StalePublication(
            _(
                "The published version changed after this confirmation was shown (it is now "
                "%(now)s), so the changes listed there are out of date. Nothing was published: "
                "open the editor to see the workflow as it is now.",
                now=now,
            )
        )
    return publish_draft(session, workflow, actor, base)


def users_problems(session: Session, workflow: Workflow, config: Document) -> list[Problem]:
    """What the return types running on ``workflow`` offer that ``config`` cannot carry out."""
    return [
        problem
        for return_type in return_types_using(session, workflow.id)
        for problem in resolution_problems(config, return_type.resolutions or [], return_type.name)
    ]


def discard_draft(session: Session, workflow: Workflow) -> None:
    draft = locked_draft(session, workflow)
    if draft is None:
        raise DesignerError(_("There is no draft to discard."))
    if published_version(session, workflow.id) is None:
        raise DesignerError(
            _("This is the workflow's only version; there would be nothing left to show.")
        )
    session.delete(draft)
    session.flush()


def restore_version(
    session: Session, workflow: Workflow, version: WorkflowVersion, actor: User
) -> WorkflowVersion:
    """Make ``version``'s document the draft (a new one, or replacing the current draft)."""
    if version.status is VersionStatus.DRAFT:
        raise DesignerError(_("This version is the draft already."))
    draft = locked_draft(session, workflow)
    if draft is None:
        return draft_from(session, version, actor)
    update_draft(session, draft, json.loads(json.dumps(version.config)))
    session.flush()
    return draft


def import_config(session: Session, workflow: Workflow, actor: User, config: Any) -> None:
    """Replace the draft with an imported document; refused with every problem listed."""
    problems = validate(config)
    if problems:
        raise InvalidWorkflow(problems)
    draft = locked_draft(session, workflow)
    if draft is None:
        current = published_version(session, workflow.id)
        draft = draft_from(session, current, actor) if current else None
    if draft is None:
        raise DesignerError(_("This workflow has no version to import into."))
    update_draft(session, draft, config)
    session.flush()


# --- simulation scenarios ------------------------------------------------------------------


def save_scenario(
    session: Session,
    actor: User,
    *,
    name: str,
    return_type_id: int | None,
    account_id: int | None,
    settings: Document,
) -> SimulationScenario:
    """Keep a simulation's setup under a name, to try it again after the next edit."""
    return_type = session.get(ReturnType, return_type_id or 0)
    account = session.get(RetailerAccount, account_id or 0)
    if return_type is None or account is None:
        raise DesignerError(_("Choose a return type and an account first."))
    name = name.strip()
    if not name:
        raise DesignerError(_("Give the scenario a name."), "scenario_name")
    if unstorable(name):
        raise DesignerError(
            _("The name contains characters that can't be stored."), "scenario_name"
        )
    if len(name) > SCENARIO_NAME_LENGTH:
        raise DesignerError(
            _("Keep the name to %(limit)s characters.", limit=SCENARIO_NAME_LENGTH), "scenario_name"
        )
    if session.scalar(select(SimulationScenario.id).where(SimulationScenario.name == name)):
        raise DesignerError(
            _("A scenario named “%(name)s” already exists.", name=name), "scenario_name"
        )
    scenario = SimulationScenario(
        name=name,
        return_type_id=return_type.id,
        account_id=account.id,
        settings=settings,
        created_by_id=actor.id,
    )
    session.add(scenario)
    session.flush()
    return scenario
