"""Editing the condition questionnaire in the policy editor: a text of questions and
answers saved as a new policy version, shown back as written, refused beside its field
naming the answer that is wrong."""

from __future__ import annotations

from html import unescape

from sqlalchemy import select

from models import PolicyVersion
from tests.portal.designer.helpers import HX
from tests.portal.designer.test_policy_editor import _form
from workflow_designer.policy import validate_policy

TEXT = """Frame condition
- Like new | new | 0
- Light scratches | used | 0
- Bent temple | Lightly damaged | 10
Case and cloth
- Both present | new
- Case missing | open_packaging | 5 %
"""


def post(client, return_type, text, check=False):
    data = _form(
        **{"condition_questionnaire-enabled": "on", "condition_questionnaire-questions": text}
    )
    url = f"/designer/return-types/{return_type.id}/policy" + ("/check" if check else "")
    return client.post(url, data=data, headers=HX if check else {})


def test_a_questionnaire_is_saved_as_a_new_policy_version(client, db_session, admin, return_type):
    assert post(client, return_type, TEXT).status_code == 303
    db_session.refresh(return_type)
    policy = return_type.policy
    assert validate_policy(policy) == []
    frame, case = policy["condition_questionnaire"]["questions"]
    assert (frame["key"], frame["text"]) == ("frame-condition", "Frame condition")
    assert frame["answers"][2] == {
        "key": "bent-temple",
        "text": "Bent temple",
        "grade": "lightly_damaged",
        "deduction": "10",
    }
    assert case["answers"][1]["deduction"] == "5" and case["answers"][0]["deduction"] == "0"
    versions = db_session.scalars(
        select(PolicyVersion).where(PolicyVersion.return_type_id == return_type.id)
    ).all()
    assert versions[-1].params["condition_questionnaire"] == policy["condition_questionnaire"]
    page = client.get(f"/designer/return-types/{return_type.id}/policy").data.decode()
    field = page.split('id="condition_questionnaire-questions"', 1)[1].split("</textarea>", 1)[0]
    assert "- Bent temple | lightly_damaged | 10" in field
    assert "- Case missing | open_packaging | 5" in field


def test_a_wrong_answer_is_refused_beside_the_field_naming_it(
    client, db_session, admin, return_type
):
    text = TEXT.replace("Light scratches | used", "Light scratches | scuffed")
    response = post(client, return_type, text, check=True)
    html = response.data.decode()
    field = html.split('id="field-condition_questionnaire-questions"', 1)[1].split("</div>", 1)[0]
    named = "answer 'Light scratches' of 'Frame condition': 'scuffed' is not a grade"
    assert named in unescape(field)
    assert post(client, return_type, text).status_code == 422
    db_session.refresh(return_type)
    assert return_type.policy == {}


def test_an_answer_before_any_question_and_a_deduction_over_100_are_refused(
    client, db_session, admin, return_type
):
    for text, words in [
        ("- Like new | new | 0\n", "needs a text"),
        ("Frame\n- Broken | defective | 150\n", "the deduction"),
    ]:
        response = post(client, return_type, text)
        assert response.status_code == 422
        assert words in response.data.decode()
