"""Hostile input in every path, query and form of the URL map, as every identity.

For every rule × method × identity (anonymous included) the fuzzer sends hostile values
in each path argument, in every query argument the pages and views name, and in every
form field (Hypothesis draws them), plus wrong content types and over-long bodies. No
request may answer 5xx or raise, a GET or a refusal must change nothing, and what an
accepted request stores must hold nothing hostile (tests/security/fuzz.py has the rule).

Nothing here names a route: a new route is fuzzed as soon as it is in the URL map, and a
new kind of URL converter fails ``test_every_converter_is_known`` until the fuzzer has
hostile values for it. CSRF is off so that every request reaches its view (the token
check has its own tests in test_csrf.py).
"""

from __future__ import annotations

import json

import pytest
from flask import Blueprint, abort, redirect, request, url_for
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from werkzeug.routing import BaseConverter, IntegerConverter, Map

from models import OutboxMessage, User
from models.outbox import Channel
from portal.db import get_session
from tests.security.fuzz import (
    DEEP_JSON,
    FILES,
    LONG,
    QUERY_VALUES,
    RAW_ENCODED,
    Fuzzer,
    converter_values,
    form_request,
    hostile_text,
    path_variants,
    query_string,
    raw_body,
    rotations,
)
from tests.security.helpers import IDENTITIES
from tests.security.routes import fill, outcome, routes

FORM_EXAMPLES = 6
FORM_SETTINGS = settings(
    max_examples=FORM_EXAMPLES,
    derandomize=True,  # the same examples on every run: CI stays deterministic
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],  # findings are collected, not shrunk
    suppress_health_check=list(HealthCheck),
)


def test_every_converter_is_known(app):
    unknown = [
        (rule.rule, name, type(converter).__name__)
        for rule in app.url_map.iter_rules()
        for name, converter in rule._converters.items()
        if converter_values(converter) is None
    ]
    assert not unknown, f"give tests/security/fuzz.py PATH_VALUES for: {unknown}"


def test_a_new_kind_of_converter_is_unknown_until_given_values():
    class HexConverter(BaseConverter):
        regex = "[0-9a-f]+"

    class BoundedIdConverter(IntegerConverter):
        pass

    url_map = Map()
    assert converter_values(HexConverter(url_map)) is None
    assert converter_values(BoundedIdConverter(url_map)) is not None


def test_no_hostile_input_fails_or_changes_the_database(world_app, world, connection):
    fuzzer = Fuzzer(world_app, world, connection)
    fuzz(fuzzer, routes(world_app))
    assert fuzzer.sent > 5_000  # the discovery found the fields and arguments to send
    assert not fuzzer.findings, fuzzer.report()


def test_the_api_survives_hostile_input(world_app, world, connection):
    """The API's routes alone, each identity with its token (``-k api`` runs just these;
    the test above covers them too, among all the others)."""
    fuzzer = Fuzzer(world_app, world, connection)
    fuzz(fuzzer, [route for route in routes(world_app) if route[0].startswith("api")])
    assert fuzzer.sent > 500
    assert not fuzzer.findings, fuzzer.report()


def fuzz(fuzzer, selected):
    """Every (endpoint, method, rule) of ``selected`` × every identity."""
    world = fuzzer.world
    reached, reached_loader = _crawl(fuzzer, selected)
    for endpoint, method, rule in selected:
        url = fill(rule, world)
        for role in IDENTITIES:
            if method != "GET":
                probe = _send_form(fuzzer, role, endpoint, method, url, {}, {})
                reached[endpoint, method, role] = probe is not None and outcome(probe) == "ok"
                reached_loader[endpoint, method, role] = (
                    probe is not None and probe.status_code == 404
                )
            in_view = reached[endpoint, method, role]
            # Only an identity that reaches the view (or its scoped loader's 404) has
            # each value tried; the others are turned away before any argument is used.
            every_value = in_view or reached_loader[endpoint, method, role]
            variants = path_variants(fuzzer.discovery.adapter, rule, url, every_value)
            for argument, hostile_url in variants:
                fuzzer.send(
                    role, endpoint, method, f"path <{argument}>", hostile_url, path=hostile_url
                )
            _fuzz_query(fuzzer, role, endpoint, method, url, in_view)
            if method != "GET":
                _fuzz_form(fuzzer, role, endpoint, method, url, in_view)


@pytest.fixture
def broken_app(world_app):
    """The app with three careless routes, as a newcomer might add them."""
    probe = Blueprint("fuzz_probe", __name__)

    @probe.get("/fuzz-probe/<int:user_id>")
    def page(user_id: int):
        get_session().get(User, user_id)
        rows = int(request.args.get("rows") or 10)  # "²" or "x": ValueError
        action = url_for(".rename", user_id=user_id)
        return f'<form method="post" action="{action}"><input name="nickname"></form>{rows}'

    @probe.post("/fuzz-probe/<int:user_id>/name")
    def rename(user_id: int):
        user = get_session().get(User, user_id) or abort(404)
        user.name = request.form.get("nickname") or user.name  # stores a NUL byte as it is
        get_session().commit()
        return redirect("/", 303)

    @probe.get("/fuzz-probe/visit")
    def visit():
        get_session().add(OutboxMessage(channel=Channel.IN_APP, template="visit"))
        get_session().commit()  # a GET that writes
        return "visited"

    world_app.register_blueprint(probe)
    return world_app


def test_the_fuzzer_finds_a_careless_new_route_without_being_told(broken_app, world, connection):
    fuzzer = Fuzzer(broken_app, world, connection)
    fuzz(fuzzer, [route for route in routes(broken_app) if route[0].startswith("fuzz_probe.")])
    found = {(f.endpoint, f.where.split(" ")[0], f.what.split(":")[0]) for f in fuzzer.findings}
    assert ("fuzz_probe.page", "query", "ValueError") in found, fuzzer.report()
    assert any(e == "fuzz_probe.page" and w == "path" for e, w, _ in found)  # id > column
    stored_nul = "stored" if connection.dialect.name == "sqlite" else "DataError"
    assert ("fuzz_probe.rename", "form", stored_nul) in found
    assert any(e == "fuzz_probe.visit" and "changed the database" in w for e, _, w in found)


def _crawl(fuzzer, all_routes):
    """Every page as every identity: whether it reaches the view, and its forms."""
    reached, reached_loader = {}, {}
    for endpoint, method, rule in all_routes:
        if method != "GET":
            continue
        url = fill(rule, fuzzer.world)
        for role in IDENTITIES:
            response = fuzzer.send(role, endpoint, method, "path", url, path=url)
            reached[endpoint, method, role] = response is not None and outcome(response) == "ok"
            reached_loader[endpoint, method, role] = (
                response is not None and response.status_code == 404
            )
            if response is not None and response.mimetype == "text/html":
                fuzzer.discovery.read_page(url, response.get_data(as_text=True))
    return reached, reached_loader


def _fuzz_query(fuzzer, role, endpoint, method, url, in_view):
    names = sorted(fuzzer.discovery.query_args(endpoint).fields)
    reads_query = in_view and method == "GET"
    assignments = list(rotations(names, QUERY_VALUES if reads_query else ("\x00", str(2**63))))
    # Turned away before the view: one request, half the names NUL, half 2^63.
    for pairs in assignments if in_view else assignments[:1]:
        qs = query_string(pairs)
        fuzzer.send(role, endpoint, method, "query", qs, path=url, query_string=qs)
    for raw in RAW_ENCODED[:2] if reads_query else ():
        qs = raw_body(names, raw)
        fuzzer.send(role, endpoint, method, "query", qs, path=url, query_string=qs)


def _send_form(fuzzer, role, endpoint, method, url, fields, files, where="form"):
    request = form_request(fields, files)
    sent = {**fields, **{name: filename for name, (filename, _) in files.items()}}
    return fuzzer.send(role, endpoint, method, where, sent, path=url, **request)


def _fuzz_form(fuzzer, role, endpoint, method, url, in_view):
    inputs = fuzzer.discovery.form_fields(endpoint, method)
    names = sorted(inputs.fields) or ["value"]
    file_names = sorted(inputs.files)
    everywhere = dict.fromkeys(names, "\x00")
    _send_form(fuzzer, role, endpoint, method, url, everywhere, {})
    if not in_view:
        return

    @FORM_SETTINGS
    @given(data=st.data())
    def hostile_forms(data):
        chosen = data.draw(st.sets(st.sampled_from(names), min_size=1), label="fields")
        fields = {**inputs.fields, **{name: data.draw(hostile_text(), name) for name in chosen}}
        files = {name: data.draw(st.sampled_from(FILES), name) for name in file_names}
        _send_form(fuzzer, role, endpoint, method, url, fields, files)

    hostile_forms()
    long_everywhere = dict.fromkeys(names, LONG)
    _send_form(fuzzer, role, endpoint, method, url, long_everywhere, {})
    stray_files = dict.fromkeys([*file_names, "file"], FILES[0])
    _send_form(fuzzer, role, endpoint, method, url, inputs.fields, stray_files, "multipart")
    for raw in RAW_ENCODED[:2]:  # invalid UTF-8, a lone surrogate
        body = raw_body(names, raw)
        fuzzer.send(
            role,
            endpoint,
            method,
            "body",
            body,
            path=url,
            data=body,
            content_type="application/x-www-form-urlencoded",
        )
    wrong_bodies = (
        (
            "application/json",
            json.dumps(dict.fromkeys(names, "\x00"))[:-1] + ', "deep": ' + DEEP_JSON + "}",
        ),
        ("application/json", "{" * 10_000),
        ("application/octet-stream", b"\xff\xfe\x00garbage" * 1_000),
        ("multipart/form-data", b"--no-boundary\r\n\x00"),
        ("text/plain; charset=utf-7", "+AGEAYgBj-"),
    )
    for content_type, body in wrong_bodies:
        fuzzer.send(
            role,
            endpoint,
            method,
            "body",
            f"{content_type} {body!r}",
            path=url,
            data=body,
            content_type=content_type,
        )
