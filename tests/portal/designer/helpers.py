"""Small helpers shared by the designer's functional tests."""

from __future__ import annotations

from html.parser import HTMLParser

from sqlalchemy import func, select

import models
from models import VersionStatus, WorkflowVersion
from portal.designer.operations import config_digest

HX = {"HX-Request": "true"}


def draft_of(session, workflow):
    session.expire_all()
    return session.scalar(
        select(WorkflowVersion).where(
            WorkflowVersion.workflow_id == workflow.id,
            WorkflowVersion.status == VersionStatus.DRAFT,
        )
    )


def current_config(session, workflow):
    """The document the editor shows: the draft's, else the published version's."""
    draft = draft_of(session, workflow)
    if draft is not None:
        return draft.config
    return session.scalar(
        select(WorkflowVersion.config).where(
            WorkflowVersion.workflow_id == workflow.id,
            WorkflowVersion.status == VersionStatus.PUBLISHED,
        )
    )


def base(session, workflow) -> str:
    return config_digest(current_config(session, workflow))


def row_counts(session) -> dict[str, int]:
    return {
        table.name: session.scalar(select(func.count()).select_from(table))
        for table in models.Base.metadata.sorted_tables
    }


class _FormReader(HTMLParser):
    """The fields a browser would send for one form of a page, as rendered."""

    def __init__(self, action: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = False
        self.found = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs_list):
        attrs = {k: (v if v is not None else "") for k, v in attrs_list}
        if tag == "form":
            self.inside = not self.found and attrs.get("action") == self.action
            self.found = self.found or self.inside
        elif not self.inside or "disabled" in attrs:
            return
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file", "image", "reset"):
                default = "on" if kind in ("checkbox", "radio") else ""
                self.fields.append((attrs["name"], attrs.get("value", default)))
        elif tag == "select":
            self._select, self._options = attrs.get("name"), []
        elif tag == "option" and self._select is not None:
            self._options.append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea":
            self._textarea = attrs.get("name")
            self.fields.append((self._textarea or "", ""))

    def handle_data(self, data):
        if self.inside and self._textarea is not None:
            name, value = self.fields[-1]
            self.fields[-1] = (name, value + data.removeprefix("\n") if not value else value + data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._options if selected] or [
                v for v, _ in self._options[:1]
            ]
            self.fields += [(self._select, v) for v in chosen]
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_fields(html: str, action: str) -> list[tuple[str, str]]:
    """What the first form posting to ``action`` sends as rendered (without a button)."""
    reader = _FormReader(action)
    reader.feed(html)
    assert reader.found, f"no form posts to {action}"
    return reader.fields
