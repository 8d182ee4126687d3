"""The state and transition editor: every edit saves the draft and re-validates."""

from __future__ import annotations

import copy
import re

import pytest
from werkzeug.datastructures import MultiDict

from models import VersionStatus
from tests.factories import make_account, make_rma
from tests.portal.designer.helpers import HX, base, current_config, draft_of, form_fields


def _states(session, workflow):
    return [s["name"] for s in current_config(session, workflow)["states"]]


def test_the_editor_shows_labels_not_machine_names(client, admin, workflow):
    html = client.get(f"/designer/workflows/{workflow.id}").data.decode()
    assert "Sales rep review" in html and "Manager approval" in html
    assert "No problems: ready to publish" in html
    assert "Published · version 1" in html


def test_adding_a_state_starts_a_draft_and_shows_it_unreachable(
    client, db_session, admin, workflow
):
    response = client.post(
        f"/designer/workflows/{workflow.id}/states",
        data={"new-state-label": "Quality check", "new-state-base": base(db_session, workflow)},
        headers=HX,
    )
    assert response.status_code == 200
    assert response.headers["Vary"] == "HX-Request" or "HX-Request" in response.headers["Vary"]
    html = response.data.decode()
    assert html.lstrip().startswith('<div id="workspace"')  # the fragment, not the page
    assert "“Quality check” cannot be reached" in html
    assert "Draft · version 2" in html
    draft = draft_of(db_session, workflow)
    assert draft.number == 2 and "quality_check" in _states(db_session, workflow)
    assert 'disabled title="Fix the problems listed first"' in html


def test_a_plain_form_post_redirects_to_the_editor(client, db_session, admin, workflow):
    response = client.post(
        f"/designer/workflows/{workflow.id}/states",
        data={"new-state-label": "Quality check", "new-state-base": base(db_session, workflow)},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/designer/workflows/{workflow.id}")


def test_a_blank_label_is_refused_and_changes_nothing(client, db_session, admin, workflow):
    before = current_config(db_session, workflow)
    response = client.post(
        f"/designer/workflows/{workflow.id}/states",
        data={"new-state-label": "  ", "new-state-base": base(db_session, workflow)},
        headers=HX,
    )
    assert response.status_code == 422
    assert "This field is required." in response.data.decode()
    assert draft_of(db_session, workflow) is None
    assert current_config(db_session, workflow) == before


def test_a_taken_name_is_refused_beside_the_field(client, db_session, admin, workflow):
    response = client.post(
        f"/designer/workflows/{workflow.id}/states",
        data={
            "new-state-label": "Again",
            "new-state-name": "draft",
            "new-state-base": base(db_session, workflow),
        },
        headers=HX,
    )
    assert response.status_code == 422
    assert "A state named &#39;draft&#39; already exists." in response.data.decode()
    assert draft_of(db_session, workflow) is None


def test_renaming_a_state_follows_every_reference(client, db_session, admin, workflow):
    response = client.post(
        f"/designer/workflows/{workflow.id}/states/authorized",
        data={
            "state-authorized-label": "Approved",
            "state-authorized-name": "approved",
            "state-authorized-base": base(db_session, workflow),
        },
        headers=HX,
    )
    assert response.status_code == 200
    config = current_config(db_session, workflow)
    assert "authorized" not in _states(db_session, workflow)
    dests = {t["dest"] for t in config["transitions"]}
    assert "approved" in dests and "authorized" not in dests
    assert "No problems: ready to publish" in response.data.decode()


def test_removing_a_state_asks_first_naming_what_goes_with_it(client, db_session, admin, workflow):
    page = client.get(f"/designer/workflows/{workflow.id}").data.decode()
    question = (
        "Deleting “To be returned to you” also removes 2 transitions: "
        "Return to retailer, Ship back."
    )
    assert question in page
    response = client.post(
        f"/designer/workflows/{workflow.id}/states/to_be_returned/remove",
        data={"base": base(db_session, workflow)},
        headers=HX,
    )
    assert response.status_code == 422  # not confirmed: nothing removed, the question shown
    assert question in response.data.decode()
    assert "nothing was removed yet" in response.data.decode()
    assert draft_of(db_session, workflow) is None


def test_removing_a_state_removes_transitions_into_it(client, db_session, admin, workflow):
    response = client.post(
        f"/designer/workflows/{workflow.id}/states/to_be_returned/remove",
        data={"base": base(db_session, workflow), "confirmed": "yes"},
        headers=HX,
    )
    assert response.status_code == 200
    config = current_config(db_session, workflow)
    assert "to_be_returned" not in _states(db_session, workflow)
    assert all(t["dest"] != "to_be_returned" for t in config["transitions"])
    # Shipped back can no longer be reached: the validator says so beside it.
    assert "“Shipped back” cannot be reached" in response.data.decode()


def test_the_starting_state_cannot_be_removed(client, db_session, admin, workflow):
    response = client.post(
        f"/designer/workflows/{workflow.id}/states/draft/remove",
        data={"base": base(db_session, workflow), "confirmed": "yes"},
        headers=HX,
    )
    assert response.status_code == 422
    assert "Choose another starting state first" in response.data.decode()
    assert draft_of(db_session, workflow) is None


def test_making_another_state_the_start(client, db_session, admin, workflow):
    client.post(
        f"/designer/workflows/{workflow.id}/states/changes_requested/initial",
        data={"base": base(db_session, workflow)},
        headers=HX,
    )
    assert current_config(db_session, workflow)["initial"] == "changes_requested"


def test_a_stale_page_gets_the_latest_draft_and_nothing_changes(
    client, db_session, admin, workflow
):
    stale = base(db_session, workflow)
    client.post(
        f"/designer/workflows/{workflow.id}/states",
        data={"new-state-label": "First", "new-state-base": stale},
        headers=HX,
    )
    response = client.post(
        f"/designer/workflows/{workflow.id}/states",
        data={"new-state-label": "Second", "new-state-base": stale},
        headers=HX,
    )
    assert response.status_code == 409
    assert "changed in another window" in response.data.decode()
    names = _states(db_session, workflow)
    assert "first" in names and "second" not in names


def _transition(db_session, workflow, prefix="new-transition", **fields):
    data = {
        f"{prefix}-label": "Escalate",
        f"{prefix}-sources": ["rep_review"],
        f"{prefix}-dest": "admin_review",
        f"{prefix}-roles": ["admin"],
        f"{prefix}-base": base(db_session, workflow),
    }
    data.update(fields)
    return data


def test_adding_a_transition_with_a_guard_and_its_parameter(client, db_session, admin, workflow):
    data = _transition(db_session, workflow)
    data.update(
        {
            "guards-ab12-name": "value_at_least",
            "guards-ab12-amount": "2500",
            "actions-cd34-name": "notify",
            "actions-cd34-to": "admins",
            "actions-cd34-template": "approval_requested",
        }
    )
    response = client.post(f"/designer/workflows/{workflow.id}/transitions", data=data, headers=HX)
    assert response.status_code == 200
    added = current_config(db_session, workflow)["transitions"][-1]
    assert added == {
        "trigger": "escalate",
        "label": "Escalate",
        "source": "rep_review",
        "dest": "admin_review",
        "roles": ["admin"],
        "guards": [{"guard": "value_at_least", "params": {"amount": "2500"}}],
        "actions": [
            {"action": "notify", "params": {"to": "admins", "template": "approval_requested"}}
        ],
    }
    assert "Value at least: 2500" in response.data.decode()


def test_a_bad_guard_parameter_is_refused_beside_the_row(client, db_session, admin, workflow):
    data = _transition(db_session, workflow)
    data.update({"guards-ab12-name": "value_at_least", "guards-ab12-amount": "lots"})
    response = client.post(f"/designer/workflows/{workflow.id}/transitions", data=data, headers=HX)
    assert response.status_code == 422
    html = response.data.decode()
    assert "Value at least: amount: &#39;lots&#39; is not an amount" in html
    assert 'value="lots"' in html  # the row keeps what was typed
    assert draft_of(db_session, workflow) is None


def test_an_unknown_guard_is_refused(client, db_session, admin, workflow):
    data = _transition(db_session, workflow)
    data.update({"guards-ab12-name": "os.system"})
    response = client.post(f"/designer/workflows/{workflow.id}/transitions", data=data, headers=HX)
    assert response.status_code == 422
    assert "Choose one of the listed guards." in response.data.decode()


def test_a_transition_needs_sources_and_roles(client, db_session, admin, workflow):
    data = _transition(db_session, workflow)
    del data["new-transition-sources"], data["new-transition-roles"]
    response = client.post(f"/designer/workflows/{workflow.id}/transitions", data=data, headers=HX)
    assert response.status_code == 422
    html = response.data.decode()
    assert "Choose at least one state it starts from." in html
    assert "Choose at least one role that may do this." in html


def test_editing_moving_and_removing_a_transition(client, db_session, admin, workflow):
    config = current_config(db_session, workflow)
    index = next(i for i, t in enumerate(config["transitions"]) if t["trigger"] == "ship")
    data = _transition(
        db_session,
        workflow,
        prefix=f"t{index}",
        **{
            f"t{index}-label": "Parcel sent",
            f"t{index}-sources": ["authorized"],
            f"t{index}-dest": "awaiting_receipt",
            f"t{index}-roles": ["retailer"],
            f"t{index}-requires_comment": "y",
        },
    )
    response = client.post(
        f"/designer/workflows/{workflow.id}/transitions/{index}", data=data, headers=HX
    )
    assert response.status_code == 200
    edited = current_config(db_session, workflow)["transitions"][index]
    assert edited["label"] == "Parcel sent" and edited["trigger"] == "parcel_sent"
    assert edited["requires_comment"] is True and edited["roles"] == ["retailer"]

    client.post(
        f"/designer/workflows/{workflow.id}/transitions/{index}/move",
        data={"direction": "up", "base": base(db_session, workflow)},
        headers=HX,
    )
    assert current_config(db_session, workflow)["transitions"][index - 1]["label"] == "Parcel sent"

    client.post(
        f"/designer/workflows/{workflow.id}/transitions/{index - 1}/remove",
        data={"base": base(db_session, workflow)},
        headers=HX,
    )
    labels = [t["label"] for t in current_config(db_session, workflow)["transitions"]]
    assert "Parcel sent" not in labels


def test_the_ref_row_endpoint_builds_parameter_fields(client, admin):
    html = client.get("/designer/ref-row?prefix=guards&key=abc&guards-abc-name=resolution_is")
    text = html.data.decode()
    assert 'name="guards-abc-kind"' in text and "replacement order" in text
    assert client.get("/designer/ref-row?prefix=evil").status_code == 400


def test_editing_a_draft_never_changes_rmas_in_flight(client, db_session, admin, version, workflow):
    account = make_account(db_session)
    rma = make_rma(db_session, account, version, state="rep_review")
    db_session.commit()
    pinned = dict(version.config)
    client.post(
        f"/designer/workflows/{workflow.id}/states/rep_review",
        data={
            "state-rep_review-label": "Renamed",
            "state-rep_review-name": "rep_check",
            "state-rep_review-base": base(db_session, workflow),
        },
        headers=HX,
    )
    draft = draft_of(db_session, workflow)
    client.post(
        f"/designer/workflows/{workflow.id}/publish",
        data={"base": base(db_session, workflow), "seen": "1", "confirmed": "yes"},
        headers=HX,
    )
    db_session.expire_all()
    assert draft.status is VersionStatus.PUBLISHED
    assert rma.workflow_version_id == version.id and rma.state == "rep_review"
    assert version.config == pinned and version.status is VersionStatus.ARCHIVED


@pytest.mark.parametrize("name", ["resolution%00is", "resolution%1Bis", "x" * 101])
def test_the_ref_row_endpoint_refuses_unstorable_names(client, admin, name):
    response = client.get(f"/designer/ref-row?prefix=guards&key=abc&guards-abc-name={name}")
    assert response.status_code == 400
    assert "guards-abc-name" in response.data.decode()


@pytest.mark.parametrize("amount", ["25\x0000", "25\x1b00"])
def test_a_guard_parameter_with_control_characters_is_refused_beside_the_row(
    client, db_session, admin, workflow, amount
):
    data = _transition(db_session, workflow)
    data.update({"guards-ab12-name": "value_at_least", "guards-ab12-amount": amount})
    response = client.post(f"/designer/workflows/{workflow.id}/transitions", data=data, headers=HX)
    assert response.status_code == 422
    assert "can&#39;t be stored" in response.data.decode()
    assert draft_of(db_session, workflow) is None


# --- plain language ------------------------------------------------------------------------


def test_technical_names_sit_only_inside_an_advanced_fold(client, admin, workflow):
    html = client.get(f"/designer/workflows/{workflow.id}").data.decode()
    folds = re.findall(r'<details class="advanced"[^>]*>(.*?)</details>', html, re.S)
    assert folds and all(fold.startswith("<summary>Advanced</summary>") for fold in folds)
    outside = re.sub(r'<details class="advanced".*?</details>', "", html, flags=re.S)
    assert html.count("Technical name") == sum(f.count("Technical name") for f in folds) > 0
    assert "Technical name" not in outside


def test_no_help_text_speaks_json(client, admin, workflow):
    html = client.get(f"/designer/workflows/{workflow.id}").data.decode()
    hints = re.findall(r'class="hint[^"]*">(.*?)</(?:small|p)>', html, re.S)
    assert hints
    for hint in hints:
        assert "JSON" not in hint and not re.search(r"[{}\[\]]", hint), hint


def test_a_new_technical_name_is_made_from_the_label_and_unique(
    client, db_session, admin, workflow
):
    url = f"/designer/workflows/{workflow.id}"
    client.post(
        f"{url}/states",
        data={"new-state-label": "Quality check", "new-state-base": base(db_session, workflow)},
        headers=HX,
    )
    client.post(
        f"{url}/states",
        data={"new-state-label": "Quality check!", "new-state-base": base(db_session, workflow)},
        headers=HX,
    )
    assert _states(db_session, workflow)[-2:] == ["quality_check", "quality_check_2"]
    # A different button whose label makes the same name gets a name of its own.
    client.post(f"{url}/transitions", data=_transition(db_session, workflow), headers=HX)
    other = _transition(db_session, workflow, **{"new-transition-label": "Escalate!"})
    client.post(f"{url}/transitions", data=other, headers=HX)
    added = current_config(db_session, workflow)["transitions"][-2:]
    assert [(t["label"], t["trigger"]) for t in added] == [
        ("Escalate", "escalate"),
        ("Escalate!", "escalate_2"),
    ]
    # The same label is the same button: another route of it shares its name.
    again = _transition(
        db_session,
        workflow,
        **{"new-transition-sources": ["admin_review"], "new-transition-dest": "rep_review"},
    )
    client.post(f"{url}/transitions", data=again, headers=HX)
    assert current_config(db_session, workflow)["transitions"][-1]["trigger"] == "escalate"


# --- an edit changes only what was touched -------------------------------------------------


def test_saving_any_state_or_transition_as_shown_changes_nothing(
    client, db_session, admin, workflow
):
    before = copy.deepcopy(current_config(db_session, workflow))
    html = client.get(f"/designer/workflows/{workflow.id}").data.decode()
    pattern = rf'action="(/designer/workflows/{workflow.id}/(?:states/\w+|transitions/\d+))"'
    actions = re.findall(pattern, html)
    assert len(actions) > 20
    for action in actions:
        response = client.post(action, data=MultiDict(form_fields(html, action)), headers=HX)
        assert response.status_code == 200, action
        assert current_config(db_session, workflow) == before, action
    assert draft_of(db_session, workflow) is None
