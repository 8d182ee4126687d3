"""The text rules: no control characters, a length bound, in every form of the app."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from datetime import date

import pytest
from flask import Flask
from flask_babel import Babel
from flask_wtf import FlaskForm
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from wtforms import Form, SearchField, StringField, TextAreaField
from wtforms.fields.choices import SelectFieldBase
from wtforms.validators import Length

import portal
import workflow_designer
from models import Role, User
from portal.inputs.text import (
    MULTI_LINE_MAX,
    ONE_LINE_MAX,
    BaseForm,
    BaseSubForm,
    StorableText,
    column_length,
    unstorable,
)

CONTROL = [chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]]
LINE_BREAKS = ["\t", "\n", "\r"]


class SampleForm(BaseForm):
    class Meta:
        csrf = False

    name = StringField("Name", validators=[Length(max=column_length(User.name))])
    q = SearchField("Search")
    comment = TextAreaField("Comment")


# Forms need a request context and translations (their messages), not the database: a
# bare app keeps these tests one-backend.
BARE_APP = Flask(__name__)
Babel(BARE_APP)


def validated(data: dict[str, str]) -> SampleForm:
    with BARE_APP.test_request_context(method="POST"):
        form = SampleForm(formdata=MultiDict(data))
        form.validate()
        return form


@given(st.text(alphabet=st.characters(exclude_categories=["Cc", "Cs"]), max_size=50))
def test_text_without_control_characters_is_storable(value):
    assert not unstorable(value) and not unstorable(value, multi_line=True)


@given(st.text(max_size=20), st.sampled_from(CONTROL), st.text(max_size=20))
def test_any_control_character_makes_one_line_unstorable(before, control, after):
    assert unstorable(before + control + after)


@pytest.mark.parametrize("control", [c for c in CONTROL if c not in LINE_BREAKS])
def test_multi_line_text_refuses_all_but_tab_and_line_breaks(control):
    assert unstorable(f"a{control}b", multi_line=True)
    assert not unstorable("a\tb\r\nc", multi_line=True)


def test_column_length_reads_the_model():
    assert column_length(User.name) == 120
    with pytest.raises(ValueError):
        column_length(User.id)


def test_a_nul_in_any_field_is_a_field_error():
    form = validated({"name": "Ann\x00", "q": "a\x00", "comment": "x\x00y"})
    for field in (form.name, form.q, form.comment):
        assert len(field.errors) == 1 and "can't be stored" in field.errors[0]


def test_line_breaks_belong_in_a_comment_not_in_a_name():
    form = validated({"name": "Ann\nLee", "comment": "Line one\r\n\tLine two"})
    assert form.name.errors == ["Contains characters that can't be stored: write it on one line."]
    assert form.comment.errors == []


@given(
    st.text(alphabet=st.characters(exclude_categories=["Cc", "Cs"]), max_size=120),
    st.text(max_size=200),
)
def test_a_form_accepts_exactly_the_storable_text(name, comment):
    form = validated({"name": name, "comment": comment})
    assert form.name.errors == []
    assert (form.comment.errors == []) is (not unstorable(comment, multi_line=True))


def test_lengths_come_from_the_column_or_a_generic_maximum():
    form = validated(
        {"name": "x" * 121, "q": "x" * (ONE_LINE_MAX + 1), "comment": "x" * MULTI_LINE_MAX}
    )
    assert form.name.errors and form.q.errors and not form.comment.errors
    assert form.name.flags.maxlength == 120 and form.q.flags.maxlength == ONE_LINE_MAX


def test_the_control_check_runs_first_and_stops_the_chain():
    seen = []

    class Probe(BaseSubForm):
        name = StringField(validators=[lambda form, field: seen.append(field.data)])

    form = Probe(formdata=MultiDict({"name": "a\x00"}))
    assert not form.validate() and seen == []
    assert isinstance(form.name.validators[0], StorableText)


def _form_classes() -> list[type]:
    found = {}
    for package in (portal, workflow_designer):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            module = importlib.import_module(info.name)
            for _name, obj in inspect.getmembers(module, inspect.isclass):
                if issubclass(obj, Form) and obj.__module__ == info.name:
                    found[obj.__qualname__, obj.__module__] = obj
    return list(found.values())


FORMS = _form_classes()


def test_every_form_in_the_app_is_found():
    assert len(FORMS) > 40


@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: f"{c.__module__}.{c.__qualname__}")
def test_every_form_derives_from_the_base(form_class):
    if form_class in (BaseForm, BaseSubForm):
        return
    assert issubclass(form_class, BaseForm if issubclass(form_class, FlaskForm) else BaseSubForm)


@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: f"{c.__module__}.{c.__qualname__}")
def test_every_text_field_is_checked_and_every_string_field_bounded(form_class):
    with BARE_APP.test_request_context(method="POST"):
        args, kwargs = _sample_arguments(form_class)
        form = form_class(*args, **kwargs)
        for field in _text_fields(form):
            if isinstance(field, StringField):
                assert isinstance(field.validators[0], StorableText), field.name
                assert 0 < field.flags.maxlength <= MULTI_LINE_MAX * 50, field.name
            else:
                assert isinstance(field.validators[-1], StorableText), field.name


def _sample_arguments(form_class) -> tuple[list, dict]:
    """A plain value for each argument a form is built with (the role it serves, the
    day it starts from, the choices it offers), and no CSRF where the form takes meta."""
    parameters = list(inspect.signature(form_class.__init__).parameters.values())[1:]
    args, kwargs = [], {}
    for p in parameters:
        if p.kind is p.VAR_KEYWORD:
            kwargs["meta"] = {"csrf": False}
        elif p.default is not p.empty or p.kind is p.VAR_POSITIONAL:
            continue
        elif p.kind is p.KEYWORD_ONLY:
            kwargs[p.name] = _sample_value(p.annotation)
        elif p.name == "formdata":
            args.append(None)
        else:
            args.append(_sample_value(p.annotation))
    return args, kwargs


def _sample_value(annotation: object) -> object:
    annotation = str(annotation)
    if annotation == "Role":
        return Role.ADMIN
    if annotation == "date":
        return date(2026, 1, 1)
    if annotation.startswith("Callable"):
        return lambda *_args: None
    return []


def _text_fields(form):
    for field in form:
        if hasattr(field, "entries"):  # FieldList
            for entry in field.entries:
                yield from _text_fields(entry.form) if hasattr(entry, "form") else [entry]
        elif hasattr(field, "form") and isinstance(field.form, Form):  # FormField
            yield from _text_fields(field.form)
        elif isinstance(field, StringField) or (
            isinstance(field, SelectFieldBase) and not getattr(field, "validate_choice", True)
        ):
            yield field
