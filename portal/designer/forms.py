"""The designer's input boundary. Forms that depend on the draft receive its state choices."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from models import ReturnType, SimulationScenario, Workflow
from models.return_type import (
    DESCRIPTION_LENGTH,
    EXCEPTION_PROMPT_LENGTH,
    POLICY_NOTE_LENGTH,
    REASON_LENGTH,
)
from portal.designer.operations import ReturnTypeData
from portal.forms import choices
from portal.i18n import LANGUAGES
from portal.inputs.numbers import (
    MAX_MONEY,
    MAX_QUANTITY,
    BoundedIntegerField,
    load_json,
    parse_decimal,
    parse_id,
    parse_int,
)
from portal.inputs.text import BaseForm, BaseSubForm, StorableText, column_length, unstorable
from workflow_designer.engine.resolutions import RESOLUTION_LABELS
from workflow_designer.engine.schema import (
    APPROVER_ROLES,
    DESCRIPTION_MAX_LENGTH,
    LABEL_MAX_LENGTH,
    ROLES,
    is_name,
)
from workflow_designer.engine.simulation import Move, Situation
from workflow_designer.engine.templates import TEMPLATES
from workflow_designer.engine.workspace import ROLE_LABELS

CODE_RE = re.compile(r"^[A-Z][A-Z0-9_]*$")
# The ready-made workflows in the reader's language (TEMPLATES keeps the English names,
# which become the names of the workflows made from them).
TEMPLATE_LABELS = {
    "stock_rotation": _l("Stock rotation"),
    "defective_warranty": _l("Defective / warranty"),
    "damaged_in_transit": _l("Damaged in transit"),
    "wrong_item": _l("Wrong item shipped"),
}


def template_choices() -> list[tuple[str, Any]]:
    return [(k, TEMPLATE_LABELS.get(k, v)) for k, v in TEMPLATES.items()]


class CheckboxesField(SelectMultipleField):
    """Several choices shown as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ConfirmForm(BaseForm):
    """A bare POST form: CSRF protection for one-button actions."""


class DraftForm(BaseForm):
    """Every edit of a draft says which version of the document it was made on."""

    base = HiddenField()


class PublishForm(DraftForm):
    """The editor's button asks for the publish confirmation; only a ``confirmed`` post
    publishes, and ``seen`` is the version that was published when it was shown (0: none)."""

    confirmed = HiddenField()
    seen = HiddenField()

    def seen_number(self) -> int | None:
        raw = (self.seen.data or "").strip()
        return int(raw) if re.fullmatch(r"[0-9]{1,9}", raw) else None


class TranslationForm(BaseSubForm):
    """One language's translations of a return type's texts; blank = not translated."""

    name = StringField(_l("Name"), validators=[Length(max=column_length(ReturnType.name))])
    description = TextAreaField(_l("Description"), validators=[Length(max=DESCRIPTION_LENGTH)])
    exception_prompt = TextAreaField(
        _l("Exception prompt"), validators=[Length(max=EXCEPTION_PROMPT_LENGTH)]
    )
    # One per reason of ``ReturnTypeForm.reason_keys``, in the same order.
    reasons = FieldList(StringField(validators=[StorableText(), Length(max=REASON_LENGTH)]))


class TranslationsForm(BaseSubForm):
    """A ``TranslationForm`` per language; the page shows those other than the
    distributor's, and only those are read."""


for _code in LANGUAGES:
    setattr(TranslationsForm, _code, FormField(TranslationForm))


class ReturnTypeForm(BaseForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(), Length(max=column_length(ReturnType.name))]
    )
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=column_length(ReturnType.code))],
        description=_l("Capital letters, digits and underscores, e.g. ROTATION. Used in exports."),
    )
    description = TextAreaField(
        _l("Description shown to retailers"),
        validators=[Length(max=DESCRIPTION_LENGTH)],
        description=_l("What this return is for, in the retailer's words."),
    )
    reasons = TextAreaField(
        _l("Reasons offered"),
        validators=[DataRequired(message=_l("List at least one reason, one per line."))],
        description=_l("One per line. The retailer picks one for each line returned."),
    )
    exchange_reasons = TextAreaField(
        _l("Reasons that offer an exchange first"),
        description=_l(
            "Optional. One per line, each one of the reasons above (e.g. a wrong size or "
            "colour). For these the draft offers an exchange before a credit, when the "
            "exchange resolution is offered."
        ),
    )
    exception_prompt = TextAreaField(
        _l("Exception prompt"),
        validators=[Length(max=EXCEPTION_PROMPT_LENGTH)],
        description=_l(
            "Optional. Shown to retailers above the box where they justify an exception, "
            "e.g. what the sales rep needs to know."
        ),
    )
    requires_photos = BooleanField(_l("Photos are required"))
    requires_description = BooleanField(_l("A description of the problem is required"))
    resolutions = CheckboxesField(
        _l("Resolutions offered"),
        choices=choices(RESOLUTION_LABELS.items()),
        validators=[DataRequired(message=_l("Offer at least one resolution."))],
    )
    workflow = SelectField(_l("Workflow it runs"))
    translated = FormField(TranslationsForm)
    # The reasons (as typed) the translation fields were shown for: a reason renamed or
    # removed in the same save loses its translation.
    reason_keys = FieldList(HiddenField(validators=[StorableText(), Length(max=REASON_LENGTH)]))

    def __init__(self, *args, workflows: Sequence[tuple[str, str]] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        new = [
            (f"template:{k}", _("New workflow from the template “%(name)s”", name=v))
            for k, v in template_choices()
        ]
        self.workflow.choices = choices([*workflows, *new])

    def validate_code(self, field) -> None:
        field.data = (field.data or "").strip().upper()
        if not CODE_RE.match(field.data):
            raise ValidationError(_("Use capital letters, digits and underscores, e.g. ROTATION."))

    def validate_exchange_reasons(self, field) -> None:
        unknown = [r for r in self.exchange_reason_list() if r not in self.reason_list()]
        if unknown:
            raise ValidationError(
                _("Not one of the reasons offered: %(reasons)s.", reasons=", ".join(unknown))
            )

    def exchange_reason_list(self) -> list[str]:
        lines = [line.strip() for line in (self.exchange_reasons.data or "").splitlines()]
        return list(dict.fromkeys(line[:REASON_LENGTH] for line in lines if line))

    def reason_list(self) -> list[str]:
        lines = [line.strip() for line in (self.reasons.data or "").splitlines()]
        return list(dict.fromkeys(line[:REASON_LENGTH] for line in lines if line))

    def translation_documents(self, languages: Sequence[str]) -> dict[str, dict[str, Any]]:
        """The posted translations of ``languages``, reasons keyed by the typed reason."""
        keys = self.reason_keys.data or []
        documents = {}
        for code in languages:
            given = dict(self.translated.data.get(code) or {})
            given["reasons"] = dict(zip(keys, given.get("reasons") or [], strict=False))
            documents[code] = given
        return documents


def return_type_form(
    workflows: list[tuple[str, str]], return_type: ReturnType | None = None
) -> ReturnTypeForm:
    """The return type form; a page load shows the stored reasons, workflow and
    translations."""
    # A post is read from its fields alone: an empty one must not fill them from the row
    # (the reasons column is a list where the form holds lines of text).
    shown = return_type if request.method == "GET" else None
    form = ReturnTypeForm(obj=shown, workflows=workflows)
    if shown is not None:
        reasons = list(shown.reasons or [])
        form.reasons.data = "\n".join(reasons)
        form.exchange_reasons.data = "\n".join(shown.exchange_reasons or [])
        form.workflow.data = str(shown.workflow_id)
        form.reason_keys.process(None, reasons)
        form.translated.process(None, _translation_fields(shown, reasons))
    return form


def _translation_fields(return_type: ReturnType, reasons: list[str]) -> dict[str, Any]:
    documents = return_type.translations or {}
    fields = {}
    for code in LANGUAGES:
        given = documents.get(code) or {}
        translated_reasons = given.get("reasons") or {}
        fields[code] = {
            "name": given.get("name", ""),
            "description": given.get("description", ""),
            "exception_prompt": given.get("exception_prompt", ""),
            "reasons": [translated_reasons.get(reason, "") for reason in reasons],
        }
    return fields


def return_type_data(form: ReturnTypeForm, languages: Sequence[str]) -> ReturnTypeData:
    return ReturnTypeData(
        name=form.name.data,
        code=form.code.data,
        description=form.description.data or "",
        reasons=form.reason_list(),
        exchange_reasons=form.exchange_reason_list(),
        resolutions=list(form.resolutions.data or []),
        requires_photos=bool(form.requires_photos.data),
        requires_description=bool(form.requires_description.data),
        workflow=form.workflow.data or "",
        exception_prompt=form.exception_prompt.data or "",
        translations=form.translation_documents(languages),
        languages=tuple(languages),
    )


def _state_texts(language: str) -> type[BaseSubForm]:
    """A state's label and explanation in one more language; blank means not translated."""

    class StateTextsForm(BaseSubForm):
        label = StringField(
            _l("Label (%(language)s)", language=language),
            validators=[Optional(), Length(max=LABEL_MAX_LENGTH)],
        )
        description = TextAreaField(
            _l("Shown to retailers (%(language)s)", language=language),
            validators=[Optional(), Length(max=DESCRIPTION_MAX_LENGTH)],
        )

    return StateTextsForm


def _button_texts(language: str) -> type[BaseSubForm]:
    """A button's label in one more language; blank means not translated."""

    class ButtonTextsForm(BaseSubForm):
        label = StringField(
            _l("Button label (%(language)s)", language=language),
            validators=[Optional(), Length(max=LABEL_MAX_LENGTH)],
        )

    return ButtonTextsForm


def _per_language(form_class: type, texts_form: Callable[[str], type[BaseSubForm]]) -> None:
    """One sub-form per language, ``in_de`` …; the page shows those that are not the
    distributor's own language."""
    for code, name in LANGUAGES.items():
        setattr(form_class, f"in_{code}", FormField(texts_form(name), label=name))


def translations_of(form: Any, languages: Sequence[str]) -> dict[str, dict[str, str]]:
    """What the form says in each of ``languages``: language → key → text (blank: none).
    A field the post did not carry at all is left out, so it changes nothing."""
    found: dict[str, dict[str, str]] = {}
    for code in languages:
        texts = {
            field.short_name: field.data or ""
            for field in getattr(form, f"in_{code}").form
            if field.raw_data
        }
        if texts:
            found[code] = texts
    return found


class StateForm(DraftForm):
    label = StringField(_l("Label"), validators=[DataRequired(), Length(max=100)])
    description = TextAreaField(
        _l("Shown to retailers"), validators=[Length(max=2000)], description=_l("What happens now.")
    )
    final = BooleanField(_l("The return ends here"))
    name = StringField(
        _l("Technical name"),
        validators=[Optional(), Length(max=64)],
        description=_l(
            "Made from the label when left empty, and kept when the label changes. "
            "Exports and links use it; changing it renames it in every transition too. "
            "Lower-case letters, digits and underscores."
        ),
    )


_per_language(StateForm, _state_texts)
ROLE_CHOICES = choices(ROLE_LABELS.items())


class TransitionForm(DraftForm):
    label = StringField(
        _l("Button label"),
        validators=[DataRequired(), Length(max=100)],
        description=_l("e.g. Approve"),
    )
    sources = CheckboxesField(
        _l("From"),
        validators=[DataRequired(message=_l("Choose at least one state it starts from."))],
    )
    dest = SelectField(_l("To"))
    roles = CheckboxesField(
        _l("Who may do it"),
        choices=ROLE_CHOICES,
        validators=[DataRequired(message=_l("Choose at least one role that may do this."))],
    )
    requires_comment = BooleanField(_l("A comment is required"))
    trigger = StringField(
        _l("Technical name"),
        validators=[Optional(), Length(max=64)],
        description=_l(
            "Made from the label when left empty. Transitions with the same name are "
            "one button with several routes, tried in the order listed."
        ),
    )

    def __init__(self, *args, state_choices: Sequence[tuple[str, str]] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sources.choices = choices(state_choices)
        self.dest.choices = choices(state_choices)


_per_language(TransitionForm, _button_texts)


APPROVER_KINDS = choices(
    [
        ("account_rep", _l("The account's sales rep")),
        ("role", _l("Anyone with a role")),
        ("user", _l("A named person")),
    ]
)
WHEN_KINDS = choices(
    [
        ("always", _l("Always")),
        ("exception_requested", _l("When an exception is requested")),
        ("value_at_least", _l("When the value is at least")),
        ("value_below", _l("When the value is below")),
    ]
)
ESCALATIONS = choices(
    [("admins", _l("Escalate to the admins")), ("next", _l("Escalate to the next step's approver"))]
)


class StepForm(BaseSubForm):
    """One approval step; a sub-form of ChainForm (the chain form carries the CSRF token)."""

    state = HiddenField()
    label = StringField(_l("Step name"), validators=[DataRequired(), Length(max=100)])
    approver_kind = SelectField(_l("Who approves"), choices=APPROVER_KINDS)
    approver_role = SelectField(
        _l("Role"), choices=choices((r, ROLE_LABELS[r]) for r in APPROVER_ROLES)
    )
    approver_user = SelectField(_l("Person"), validate_choice=False)
    when_kind = SelectField(_l("When"), choices=WHEN_KINDS)
    amount = StringField(_l("Amount"), validators=[Optional(), Length(max=20)])
    sla_hours = BoundedIntegerField(
        _l("Answer within (hours)"),
        default=48,
        validators=[InputRequired(_l("Give the hours allowed."))],
        minimum=1,
        maximum=8760,
        message=_l("Number must be between 1 and 8760."),
    )
    escalate_to = SelectField(_l("If late"), choices=ESCALATIONS)

    def validate_amount(self, field) -> None:
        if self.when_kind.data not in ("value_at_least", "value_below"):
            return
        value = parse_decimal((field.data or "").replace(",", ""), minimum=0, maximum=MAX_MONEY)
        if value is None:
            raise ValidationError(_("Give the amount as a number, e.g. 2500."))
        field.data = format(value.normalize(), "f")

    def validate_approver_user(self, field) -> None:
        if self.approver_kind.data != "user":
            return
        allowed = {choice.value for choice in field.choices or []}
        if not field.data or field.data not in allowed:
            raise ValidationError(_("Choose the person who approves."))


class ChainForm(DraftForm):
    trigger_label = StringField(
        _l("Button that starts the approvals"), render_kw={"readonly": True}
    )
    skip_to = SelectField(_l("When no step applies, go to"))
    approved_to = SelectField(_l("After the last approval, go to"))
    reject_to = SelectField(_l("When rejected, go to"))
    changes_to = SelectField(_l("When changes are requested, go to"))
    steps = FieldList(FormField(StepForm))

    def __init__(self, *args, state_choices=(), user_choices=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A destination the draft does not say (e.g. every return meets a step, so none
        # skips) shows as unset: a browser would otherwise send the first state, Draft.
        for field in (self.skip_to, self.approved_to, self.reject_to):
            unset = [] if field.data else [("", _("— not set —"))]
            field.choices = choices([*unset, *state_choices])
        self.changes_to.choices = choices([("", _("— not possible —")), *state_choices])
        for entry in self.steps:
            entry.form.approver_user.choices = choices(user_choices)


class NewWorkflowForm(BaseForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(), Length(max=column_length(Workflow.name))]
    )
    template = SelectField(
        _l("Start from"),
        choices=choices(template_choices()),
        description=_l("A ready-made workflow you then adapt."),
    )


class ImportForm(DraftForm):
    file = FileField(_l("Workflow file (.json)"))
    text = TextAreaField(_l("…or paste the JSON"), validators=[Length(max=500_000)])


# --- the simulation page -------------------------------------------------------------------
# The page posts its whole state each time (see views_simulation); these read it.

MAX_MOVES = 200


def situation(form: Mapping[str, Any]) -> Situation:
    return Situation(
        exception_requested=form.get("exception_requested") == "on",
        resolution=str(form["resolution"]) if form.get("resolution") in RESOLUTION_LABELS else "",
        received=form.get("received") == "on",
        discrepancy=form.get("discrepancy") == "on",
        graded=form.get("graded") == "on",
    )


def moves(raw: str | None) -> list[Move]:
    """The triggers fired so far, as posted back by the page; anything malformed is dropped."""
    try:
        items = load_json(raw or "[]")
    except ValueError:
        return []
    found = []
    for item in items[:MAX_MOVES] if isinstance(items, list) else []:
        if not isinstance(item, dict) or item.get("role") not in ROLES:
            continue
        if not is_name(item.get("trigger")) or not isinstance(item.get("situation"), dict):
            continue
        state = Situation(
            **{k: v for k, v in item["situation"].items() if k in Situation.__dataclass_fields__}
        )
        found.append(Move(item["role"], item["trigger"], state))
    return found


def moves_json(fired: list[Move]) -> str:
    return json.dumps(
        [{"role": m.role, "trigger": m.trigger, "situation": m.situation.__dict__} for m in fired]
    )


def line_quantity(form: Mapping[str, Any], line_id: int, returnable: int) -> int:
    quantity = parse_int(form.get(f"qty-{line_id}"), 0, MAX_QUANTITY)
    return min(quantity, returnable) if quantity else 0


def scenario_values(scenario: SimulationScenario) -> MultiDict[str, str]:
    """The simulation form as a saved scenario fills it."""
    settings = scenario.settings or {}
    values = MultiDict(
        {
            "return_type": str(scenario.return_type_id),
            "account": str(scenario.account_id),
            "version": str(settings.get("version") or "draft"),
            "replacement_value": str(settings.get("replacement_value") or ""),
        }
    )
    if settings.get("evidence"):
        values["evidence"] = "on"
    for line_id, quantity in (settings.get("quantities") or {}).items():
        values[f"qty-{line_id}"] = str(quantity)
    return values


def scenario_settings(form: Mapping[str, Any]) -> dict[str, Any]:
    """What a saved scenario keeps: only values this page's form can produce, since they
    are stored (a NUL or any other stray text in a key or value would be stored too)."""
    quantities = {
        key.removeprefix("qty-"): quantity
        for key, value in form.items()
        if key.startswith("qty-")
        and parse_id(key.removeprefix("qty-"))
        and (quantity := parse_int(value, 1, MAX_QUANTITY))
    }
    replacement_value = (form.get("replacement_value") or "").strip()[:20]
    return {
        "version": "published" if form.get("version") == "published" else "draft",
        "quantities": quantities,
        "evidence": form.get("evidence") == "on",
        "replacement_value": "" if unstorable(replacement_value) else replacement_value,
    }


class PolicySaveForm(BaseForm):
    """Saving the policy editor: the rules' fields are read by ``policy_form``; this form
    holds the CSRF token and the optional note kept with the new policy version."""

    note = StringField(
        _l("Note for the history (optional)"),
        validators=[Optional(), Length(max=POLICY_NOTE_LENGTH)],
    )


class PolicyRestoreForm(BaseForm):
    """Restoring a policy version names the version the page showed as current, so a
    restore decided on a stale page is refused instead of undoing a newer save."""

    current = HiddenField()
