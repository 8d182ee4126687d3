"""Only admins reach the designer; everyone else gets 403, anonymous visitors the login."""

from __future__ import annotations

import pytest

from models import Role
from tests.factories import make_retailer, make_user

PAGES = [
    "/designer/",
    "/designer/workflows/new",
    "/designer/simulate",
    "/designer/return-types/new",
]


@pytest.mark.parametrize("role", [Role.SALES_REP, Role.WAREHOUSE])
def test_staff_other_than_admins_are_refused(client, db_session, login_as, role, workflow):
    login_as(make_user(db_session, role))
    for path in [*PAGES, f"/designer/workflows/{workflow.id}"]:
        assert client.get(path).status_code == 403, path
    response = client.post(
        f"/designer/workflows/{workflow.id}/states", data={"new-state-label": "X"}
    )
    assert response.status_code == 403


def test_retailers_are_refused(client, db_session, login_as, workflow):
    login_as(make_retailer(db_session))
    for path in PAGES:
        assert client.get(path).status_code == 403, path
    assert client.post(f"/designer/workflows/{workflow.id}/publish").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/designer/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_admins_see_the_designer_in_the_menu(client, admin):
    html = client.get("/admin/").data.decode()
    assert 'href="/designer/"' in html
    assert client.get("/designer/").status_code == 200


def test_designer_pages_allow_inline_styles_for_the_diagram_but_not_scripts(
    client, admin, workflow
):
    csp = client.get(f"/designer/workflows/{workflow.id}").headers["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in csp
    assert "script-src 'self';" in csp or csp.endswith("script-src 'self'")
    assert "'unsafe-eval'" not in csp
    other = client.get("/admin/").headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in other


def test_the_editor_loads_the_pinned_mermaid_and_no_inline_script(client, admin, workflow):
    html = client.get(f"/designer/workflows/{workflow.id}").data.decode()
    assert 'src="/static/vendor/mermaid/mermaid-11.17.2.min.js"' in html
    assert 'src="/static/js/designer.js"' in html
    assert "<script>" not in html
    response = client.get("/static/vendor/mermaid/mermaid-11.17.2.min.js")
    assert response.status_code == 200
    response.close()
