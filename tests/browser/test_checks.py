"""The layout check itself fails on what it is there to catch (and passes a page that
fits), so every page's check can fail."""

from __future__ import annotations

import pytest

from tests.browser.checks import check_layout

pytestmark = pytest.mark.browser

FITS = "<main><p>Short words wrap inside their box.</p></main>"
CASES = {
    "sideways": '<main><div style="width: 900px">wide</div></main>',
    "out of its box": (
        '<main><div style="width: 200px"><div style="width: 300px">x</div></div></main>'
    ),
    "long word": '<main><p style="width: 120px">' + "Unbreakable" * 2 + "</p></main>",
}


@pytest.fixture
def blank(chromium):
    context = chromium.new_context(viewport={"width": 375, "height": 600})
    yield context.new_page()
    context.close()


def test_a_page_that_fits_passes(blank):
    blank.set_content(FITS)
    check_layout(blank, "fits")


@pytest.mark.parametrize("case", CASES)
def test_what_the_check_is_for_fails_it(blank, case):
    blank.set_content(CASES[case])
    with pytest.raises(AssertionError):
        check_layout(blank, case)
