"""The number parsers, field types and converters of the one input layer (no database)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import NotFound
from wtforms import Form

from portal.inputs import converters
from portal.inputs.numbers import (
    MAX_ID,
    MAX_MONEY,
    BoundedIntegerField,
    FiniteDecimalField,
    JsonRefused,
    PageField,
    is_bounded,
    json_depth,
    load_json,
    parse_decimal,
    parse_id,
    parse_int,
    parse_page,
)

HOSTILE_NUMBERS = [
    "²",
    "٣",
    "１",
    "-1",
    "+1",
    "1e3",
    "0x10",
    "1_000",
    "9" * 5000,
    str(2**31),
    str(2**63),
    "NaN",
    "sNaN",
    "Infinity",
    "-Infinity",
    "1e-999999999",
    "1e999999999",
    "\x00",
    "",
    " ",
]


@pytest.mark.parametrize("raw", HOSTILE_NUMBERS)
def test_ids_refuse_what_a_column_cannot_hold(raw):
    assert parse_id(raw) is None


@pytest.mark.parametrize("raw", ["1", " 42 ", "0007", str(MAX_ID)])
def test_ids_read_ascii_digits_in_range(raw):
    assert parse_id(raw) == int(raw)


def test_ids_refuse_zero_and_non_strings():
    assert [parse_id(v) for v in ("0", None, 1.0, True, [1], MAX_ID + 1)] == [None] * 6
    assert parse_id(7) == 7


@given(st.text(max_size=30))
def test_parse_int_never_raises_and_stays_in_range(raw):
    value = parse_int(raw, 3, 1000)
    assert value is None or (3 <= value <= 1000 and raw.strip().isascii())


@given(st.integers(min_value=1, max_value=MAX_ID))
def test_every_id_reads_back(number):
    assert parse_id(str(number)) == number


@pytest.mark.parametrize("raw", [*HOSTILE_NUMBERS, "0", "100001"])
def test_a_bad_page_is_the_first(raw):
    assert parse_page(raw) == 1


@pytest.mark.parametrize(
    "raw", [r for r in HOSTILE_NUMBERS if r not in ("+1", str(2**31))] + ["1.005", "10000000000"]
)
def test_decimals_refuse_what_is_not_a_finite_amount(raw):
    assert parse_decimal(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("0", "0.00"), ("12.5", "12.50"), (" 3.10 ", "3.10"), (".5", "0.50"), ("7.000", "7.00")],
)
def test_decimals_read_plain_amounts_at_the_scale(raw, expected):
    value = parse_decimal(raw)
    assert value == Decimal(expected) and str(value) == expected


def test_decimal_bounds_and_scale_are_per_use():
    assert parse_decimal("100", places=2, minimum=0, maximum=100) == Decimal("100.00")
    assert parse_decimal("100.01", places=2, minimum=0, maximum=100) is None
    assert parse_decimal("2.5", places=0) is None
    assert parse_decimal(str(MAX_MONEY)) == MAX_MONEY
    assert parse_decimal(Decimal("sNaN")) is None


@given(st.text(max_size=45))
def test_parse_decimal_never_raises(raw):
    value = parse_decimal(raw, places=2, minimum=None, maximum=None)
    assert value is None or is_bounded(value)


@pytest.mark.parametrize(
    ("value", "bounded"),
    [
        ("2500.00", True),
        ("1E+2", True),
        ("NaN", False),
        ("sNaN", False),
        ("Infinity", False),
        ("1e-999999999", False),
        ("0E-999999999", False),
        ("1e999999999", False),
    ],
)
def test_is_bounded(value, bounded):
    assert is_bounded(Decimal(value)) is bounded


class NumbersForm(Form):
    quantity = BoundedIntegerField("Quantity", minimum=1, maximum=100, message="1 to 100.")
    page = PageField()
    fee = FiniteDecimalField("Fee", minimum=0, maximum=100, message="A percentage.")


def _form(**values) -> NumbersForm:
    form = NumbersForm(MultiDict(values))
    form.validate()
    return form


@pytest.mark.parametrize("raw", ["²", "9" * 5000, str(2**63), "-3", "1.5", "\x00"])
def test_integer_fields_report_instead_of_raising(raw):
    form = _form(quantity=raw, page=raw)
    assert form.quantity.data is None and form.quantity.errors
    assert form.page.data is None and form.page.errors


def test_integer_field_messages_tell_range_from_garbage():
    assert _form(quantity="101").quantity.errors == ["1 to 100."]
    assert _form(quantity="many").quantity.errors == ["Not a valid integer value."]
    assert _form(quantity="42").quantity.data == 42
    assert _form().page.data == 1


@pytest.mark.parametrize("raw", ["sNaN", "NaN", "Infinity", "1e-999999999", "1e999999999", "1.001"])
def test_decimal_fields_report_instead_of_raising(raw):
    form = _form(fee=raw)
    assert form.fee.data is None and form.fee.errors == ["A percentage."]


@pytest.mark.parametrize("raw", ["lots", "²", "1,5", "\x00"])
def test_decimal_fields_tell_what_is_not_a_number(raw):
    assert _form(fee=raw).fee.errors == ["Not a valid decimal value."]


def test_decimal_field_reads_at_its_scale():
    assert _form(fee="12.5").fee.data == Decimal("12.50")
    assert _form(fee="").fee.data is None


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_json_depth_ignores_brackets_in_strings():
    assert json_depth('{"a": ["[[[[", {"b": "\\"]]]"}]}') == 3
    assert json_depth(_nested(10_000)) == 10_000


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (_nested(10_000), "nested too deeply"),
        ('{"a": ' * 40 + "1" + "}" * 40, "nested too deeply"),
        ("[" + "1," * 600_000 + "1]", "too large"),
        ('{"amount": NaN}', "NaN"),
        ("[Infinity]", "Infinity"),
        ("[1e999]", "too large"),
        ("[" + "9" * 5000 + "]", "too large"),
        ("{", r"not valid JSON \(line 1, column 2\)"),
    ],
)
def test_load_json_refuses_with_a_message(text, message):
    with pytest.raises(JsonRefused, match=message):
        load_json(text)


def test_load_json_reads_what_json_reads():
    doc = {"states": [{"name": "a", "params": {"amount": "2500.00", "days": 30}}], "x": 0.5}
    assert load_json(json.dumps(doc)) == doc
    assert load_json(_nested(32)) == json.loads(_nested(32))


@pytest.fixture
def url_app() -> Flask:
    app = Flask(__name__)
    converters.init_app(app)
    app.add_url_rule("/w/<id:item>", "item", lambda item: str(item))
    app.add_url_rule("/w/<id:item>/t/<position:index>", "pos", lambda item, index: str(index))
    app.add_url_rule("/rmas/<number:number>", "rma", lambda number: number)
    app.add_url_rule("/memos/<number:number>.pdf", "pdf", lambda number: number)
    return app


def _match(app: Flask, path: str):
    try:
        return app.url_map.bind("localhost").match(path)
    except NotFound:
        return None


@pytest.mark.parametrize(
    "segment", ["0", "-1", "+1", "²", "%C2%B2", "٣", str(2**31), str(2**63), "9" * 30, "1.0"]
)
def test_id_converter_does_not_match_what_the_column_cannot_hold(url_app, segment):
    assert _match(url_app, f"/w/{segment}") is None


def test_id_and_position_converters(url_app):
    assert _match(url_app, f"/w/{MAX_ID}") == ("item", {"item": MAX_ID})
    assert _match(url_app, "/w/5/t/0") == ("pos", {"item": 5, "index": 0})
    assert _match(url_app, f"/w/5/t/{2**31}") is None
    with url_app.test_request_context():
        from flask import url_for

        assert url_for("pos", item=3, index=0) == "/w/3/t/0"


@pytest.mark.parametrize(
    "segment", ["RMA-2026-000123", "rma-2026-1", "RMA-TEST-000001", "CM-2026-000001"]
)
def test_number_converter_matches_document_numbers(url_app, segment):
    assert _match(url_app, f"/rmas/{segment}") == ("rma", {"number": segment})
    assert _match(url_app, f"/memos/{segment}.pdf") == ("pdf", {"number": segment})


@pytest.mark.parametrize(
    "segment", ["RMA%00", "-RMA", "RMA 1", "R" * 21, "RMA-2026-%C2%B2", "RMA_1", "RMA.1"]
)
def test_number_converter_refuses_other_characters_and_lengths(url_app, segment):
    assert _match(url_app, f"/rmas/{segment}") is None
