"""Every view stays short: it parses, calls one operation or query, and answers.

Domain work belongs in the area's operations and queries, where it is tested on its own;
a view that grows past the limit is the sign that some of it has leaked in."""

from __future__ import annotations

import inspect

MAX_LINES = 25


def test_no_view_is_longer_than_the_limit(app):
    too_long = {}
    for endpoint, view in app.view_functions.items():
        function = inspect.unwrap(view)
        if not function.__module__.startswith("portal."):
            continue
        lines, _start = inspect.getsourcelines(function)
        if len(lines) > MAX_LINES:
            too_long[endpoint] = f"{function.__module__}.{function.__qualname__}: {len(lines)}"
    assert not too_long, too_long


def test_the_check_sees_the_views(app):
    """A control: the walk above reads the application's own views, and measures them."""
    ours = [
        inspect.unwrap(view)
        for view in app.view_functions.values()
        if inspect.unwrap(view).__module__.startswith("portal.")
    ]
    assert len(ours) > 100
    assert all(len(inspect.getsourcelines(function)[0]) > 1 for function in ours)
