"""A return type's policy history through HTTP: saving makes versions, the history, a
version beside the current one in words, restoring, and who may do it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import PolicyVersion, Role
from tests.factories import make_policy_version, make_retailer, make_user
from tests.portal.designer.helpers import HX
from workflow_designer.policy import RULES

TEN = {"allowance": {"enabled": True, "mode": "blocking", "percent": "10", "period_days": 365}}


def _form(**fields):
    """The editor's post: every rule off (blocking), plus ``fields``."""
    data = {f"{name}-mode": "blocking" for name, spec in RULES.items() if spec.pass_fail}
    data.update(fields)
    return data


def _allowance(percent: str, **more):
    return _form(
        **{"allowance-enabled": "on", "allowance-percent": percent},
        **{"allowance-period_days": "365"},
        **more,
    )


def _versions(db_session, return_type) -> list[tuple[int, dict, str]]:
    db_session.expire_all()
    rows = db_session.execute(
        select(PolicyVersion.number, PolicyVersion.params, PolicyVersion.note)
        .where(PolicyVersion.return_type_id == return_type.id)
        .order_by(PolicyVersion.number)
    )
    return [tuple(row) for row in rows]


@pytest.fixture
def versioned(db_session, return_type):
    """The return type with version 1 holding a 10 % allowance (as the migration left it)."""
    return_type.policy = TEN
    make_policy_version(db_session, return_type, note="The policy as it stood")
    db_session.commit()
    return return_type


def _url(return_type, rest=""):
    return f"/designer/return-types/{return_type.id}/policy{rest}"


def test_each_save_that_changes_the_policy_is_a_new_version(client, db_session, admin, versioned):
    response = client.post(_url(versioned), data=_allowance("12", note="Busier season"))
    assert response.status_code == 303
    versions = _versions(db_session, versioned)
    assert [(n, note) for n, _, note in versions] == [
        (1, "The policy as it stood"),
        (2, "Busier season"),
    ]
    assert versions[1][1]["allowance"]["percent"] == "12"
    assert versions[0][1] == TEN  # the earlier version is kept as it was
    follow = client.get(_url(versioned)).data.decode()
    assert "saved as version 2." in follow


def test_saving_without_a_change_makes_no_version(client, db_session, admin, versioned):
    response = client.post(_url(versioned), data=_allowance("10.0"), headers=HX)
    assert response.status_code == 200
    assert "No change: nothing to save." in response.data.decode()
    assert len(_versions(db_session, versioned)) == 1


def test_a_note_too_long_is_shown_beside_its_field_and_saves_nothing(
    client, db_session, admin, versioned
):
    response = client.post(_url(versioned), data=_allowance("12", note="x" * 501))
    assert response.status_code == 422
    assert 'class="field policy-note has-error"' in response.data.decode()
    assert len(_versions(db_session, versioned)) == 1


def test_the_history_lists_versions_newest_first(client, db_session, admin, versioned):
    client.post(_url(versioned), data=_allowance("12", note="Busier season"))
    editor = client.get(_url(versioned)).data.decode()
    assert f'href="{_url(versioned, "/history")}"' in editor
    page = client.get(f"/designer/return-types/{versioned.id}").data.decode()
    assert f'href="{_url(versioned, "/history")}"' in page

    html = client.get(_url(versioned, "/history")).data.decode()
    assert html.index('id="policy-version-2"') < html.index('id="policy-version-1"')
    row_2 = html.split('id="policy-version-2"')[1].split("</tr>")[0]
    assert (
        '<span class="tag tag-current">current</span>' in row_2
        and "by Ada Admin" in row_2
        and "Busier season" in row_2
    )
    assert "Allowance · Percent of net purchases: 10% → 12%" in row_2
    assert "Restore…" not in row_2  # the current version is not offered for restoring
    row_1 = html.split('id="policy-version-1"')[1].split("</tr>")[0]
    assert "tag-current" not in row_1 and "by the system" in row_1
    assert "Yes, restore version 1" in row_1
    assert 'name="current" value="2"' in row_1
    assert f'href="{_url(versioned, "/diff?version=1")}"' in row_1


def test_a_return_type_without_versions_says_so(client, db_session, admin, return_type):
    html = client.get(_url(return_type, "/history")).data.decode()
    assert "No version yet" in html
    assert client.get(_url(return_type, "/diff")).status_code == 404


def test_a_version_beside_the_current_one_shows_only_real_changes(
    client, db_session, admin, versioned
):
    client.post(
        _url(versioned),
        data=_allowance(
            "12.0",
            **{"purchase_age-enabled": "on", "purchase_age-min_days": "60"},
        ),
    )
    html = client.get(_url(versioned, "/diff?version=1")).data.decode()
    table = html.split('id="policy-diff"')[1].split("</table>")[0]
    assert table.count('<tr class="diff-changed">') == 3
    assert "Version 1" in table and "Current (version 2)" in table
    assert "Percent of net purchases" in table and "10%" in table and "12%" in table
    assert "Purchase age · Minimum age" in table and "60 days" in table
    assert "Purchase age</th>" in table  # switched on
    assert "Period" not in table  # unchanged settings are left out
    assert "Yes, restore version 1" in html

    default = client.get(_url(versioned, "/diff")).data.decode()
    assert "Version 1 beside the current version 2" in default


def test_the_current_version_beside_itself(client, db_session, admin, versioned):
    html = client.get(_url(versioned, "/diff?version=1")).data.decode()
    assert "This is the current version." in html


@pytest.mark.parametrize("query", ["?version=9", "?version=abc", "?version=0", "?version=-1"])
def test_bad_version_numbers_are_404(client, admin, versioned, query):
    assert client.get(_url(versioned, f"/diff{query}")).status_code == 404


def test_unknown_return_types_and_versions_are_404(client, admin, versioned):
    assert client.get("/designer/return-types/99999/policy/history").status_code == 404
    assert client.get("/designer/return-types/99999/policy/diff").status_code == 404
    restore = "/designer/return-types/99999/policy/versions/1/restore"
    assert client.post(restore, data={"current": "1"}).status_code == 404
    missing = _url(versioned, "/versions/7/restore")
    assert client.post(missing, data={"current": "1"}).status_code == 404
    assert client.post(_url(versioned, "/versions/abc/restore")).status_code == 404


def test_restoring_makes_a_new_version_with_the_old_params(client, db_session, admin, versioned):
    client.post(_url(versioned), data=_allowance("12"))
    response = client.post(_url(versioned, "/versions/1/restore"), data={"current": "2"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(_url(versioned, "/history"))
    versions = _versions(db_session, versioned)
    assert [n for n, _, _ in versions] == [1, 2, 3]
    assert versions[2][1] == TEN and versions[2][2] == "Restored version 1."
    db_session.refresh(versioned)
    assert versioned.policy == TEN
    html = client.get(_url(versioned, "/history")).data.decode()
    assert "Version 1 restored as version 3." in html
    assert "restored from version 1" in html


def test_a_stale_restore_is_409_and_changes_nothing(client, db_session, admin, versioned):
    client.post(_url(versioned), data=_allowance("12"))
    client.post(_url(versioned), data=_allowance("15"))  # another admin, after the page
    response = client.post(_url(versioned, "/versions/1/restore"), data={"current": "2"})
    assert response.status_code == 409
    assert "version 3 is now current" in response.data.decode()
    assert [n for n, _, _ in _versions(db_session, versioned)] == [1, 2, 3]
    db_session.refresh(versioned)
    assert versioned.policy["allowance"]["percent"] == "15"


@pytest.mark.parametrize("current", [None, "", "abc", "0", "1" * 30])
def test_a_restore_without_the_current_number_is_refused(
    client, db_session, admin, versioned, current
):
    data = {} if current is None else {"current": current}
    response = client.post(_url(versioned, "/versions/1/restore"), data=data)
    assert response.status_code == 400
    assert len(_versions(db_session, versioned)) == 1


def test_restoring_what_is_current_changes_nothing(client, db_session, admin, versioned):
    response = client.post(_url(versioned, "/versions/1/restore"), data={"current": "1"})
    assert response.status_code == 303
    assert len(_versions(db_session, versioned)) == 1
    html = client.get(_url(versioned, "/history")).data.decode()
    assert "nothing changed" in html


def test_the_evidence_checkboxes_of_the_return_type_make_a_version(
    client, db_session, admin, versioned, workflow
):
    from tests.portal.designer.test_return_types import _data

    versioned.policy = {**TEN, "evidence": {"enabled": True, "photos": True}}
    db_session.commit()
    client.post(
        f"/designer/return-types/{versioned.id}",
        data=_data(workflow=str(workflow.id), requires_photos="", requires_description="y"),
    )
    versions = _versions(db_session, versioned)
    assert [n for n, _, _ in versions] == [1, 2]
    assert versions[1][1]["evidence"] == {"enabled": True, "photos": False, "description": True}


@pytest.mark.parametrize("role", [Role.SALES_REP, Role.WAREHOUSE, None])
def test_other_roles_are_refused(client, db_session, login_as, versioned, role):
    login_as(make_retailer(db_session) if role is None else make_user(db_session, role))
    assert client.get(_url(versioned, "/history")).status_code == 403
    assert client.get(_url(versioned, "/diff?version=1")).status_code == 403
    response = client.post(_url(versioned, "/versions/1/restore"), data={"current": "1"})
    assert response.status_code == 403
    assert len(_versions(db_session, versioned)) == 1


def test_the_live_check_keeps_the_note_being_typed(client, admin, versioned):
    response = client.post(
        _url(versioned, "/check"), data=_allowance("11", note="Half-way typed"), headers=HX
    )
    assert response.status_code == 200
    assert 'value="Half-way typed"' in response.data.decode()


def test_a_version_the_rules_no_longer_accept_is_not_restored(client, db_session, admin, versioned):
    broken = {"allowance": {"enabled": True, "percent": "lots", "period_days": 365}}
    make_policy_version(db_session, versioned, params=broken)  # version 2
    client.post(_url(versioned), data=_allowance("12"))  # version 3
    response = client.post(_url(versioned, "/versions/2/restore"), data={"current": "3"})
    assert response.status_code == 422
    assert "Version 2 cannot be restored as it is" in response.data.decode()
    assert [n for n, _, _ in _versions(db_session, versioned)] == [1, 2, 3]
