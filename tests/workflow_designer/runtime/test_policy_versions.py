"""Policy versions in the database: numbered saves, no version for no change, restore's
stale check, frozen history — on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from models import PolicyVersion, Role
from tests.factories import (
    make_policy_version,
    make_published_workflow,
    make_return_type,
    make_user,
)
from workflow_designer.engine.errors import Refusal
from workflow_designer.runtime import policy_versions
from workflow_designer.runtime.policy_versions import (
    PolicyVersionFrozen,
    StalePolicy,
    record_policy,
)

TEN = {"allowance": {"enabled": True, "mode": "blocking", "percent": "10", "period_days": 365}}
TWELVE = {"allowance": {**TEN["allowance"], "percent": "12"}}


@pytest.fixture
def admin(db_session):
    return make_user(db_session, Role.ADMIN, name="Ada Admin")


@pytest.fixture
def return_type(db_session):
    version = make_published_workflow(db_session)
    return_type = make_return_type(db_session, version.workflow_id, policy=TEN)
    make_policy_version(db_session, return_type)
    return return_type


def _numbers(session, return_type) -> list[int]:
    return [v.number for v in policy_versions.history(session, return_type.id)]


def test_each_change_is_the_next_version_and_earlier_ones_stay(db_session, admin, return_type):
    second = record_policy(db_session, return_type, TWELVE, admin, "  Busier season  ")
    assert second is not None
    assert (second.number, second.note, second.created_by_id) == (2, "Busier season", admin.id)
    assert return_type.policy == TWELVE
    third = record_policy(db_session, return_type, TEN, admin)
    assert third is not None and third.number == 3
    assert _numbers(db_session, return_type) == [3, 2, 1]
    first = policy_versions.find_version(db_session, return_type.id, 1)
    assert first is not None and first.params == TEN
    assert policy_versions.current_number(db_session, return_type.id) == 3


def test_saving_without_a_change_makes_no_version(db_session, admin, return_type):
    same_in_other_words = {
        "allowance": {**TEN["allowance"], "percent": "10.00"},
        "purchase_age": {"enabled": False, "min_days": None},
    }
    assert record_policy(db_session, return_type, same_in_other_words, admin) is None
    assert _numbers(db_session, return_type) == [1]


def test_a_return_type_without_versions_gets_its_stored_policy_as_version_1(db_session, admin):
    version = make_published_workflow(db_session)
    return_type = make_return_type(db_session, version.workflow_id, policy=TEN)
    saved = record_policy(db_session, return_type, TWELVE, admin)
    assert saved is not None and saved.number == 2
    first = policy_versions.find_version(db_session, return_type.id, 1)
    assert first is not None
    assert (first.params, first.created_by_id) == (TEN, None)


def test_an_empty_policy_never_saved_starts_at_version_1(db_session, admin):
    version = make_published_workflow(db_session)
    return_type = make_return_type(db_session, version.workflow_id, policy={})
    assert record_policy(db_session, return_type, {"allowance": {"enabled": False}}, admin) is None
    saved = record_policy(db_session, return_type, TEN, admin)
    assert saved is not None and saved.number == 1


def test_a_restore_decided_on_a_stale_page_changes_nothing(db_session, admin, return_type):
    record_policy(db_session, return_type, TWELVE, admin)
    with pytest.raises(StalePolicy) as refused:
        record_policy(db_session, return_type, TEN, admin, restored_from=1, expected=1)
    assert refused.value.status == 409
    assert "version 2 is now current" in str(refused.value)
    assert _numbers(db_session, return_type) == [2, 1]
    assert return_type.policy == TWELVE
    restored = record_policy(db_session, return_type, TEN, admin, restored_from=1, expected=2)
    assert restored is not None and (restored.number, restored.restored_from) == (3, 1)


def test_a_note_too_long_is_refused(db_session, admin, return_type):
    with pytest.raises(Refusal):
        record_policy(db_session, return_type, TWELVE, admin, "x" * 501)
    assert _numbers(db_session, return_type) == [1]


def test_versions_never_change(db_session, admin, return_type):
    first = policy_versions.find_version(db_session, return_type.id, 1)
    assert first is not None
    first.params = TWELVE
    with pytest.raises(PolicyVersionFrozen):
        db_session.flush()
    db_session.rollback()


def test_the_database_refuses_two_versions_with_one_number(db_session, return_type):
    db_session.add(PolicyVersion(return_type_id=return_type.id, number=1, params=TWELVE))
    with pytest.raises(IntegrityError):
        db_session.flush()
    db_session.rollback()


def test_the_version_in_force_is_the_one_the_stored_policy_holds(db_session, admin, return_type):
    in_force = policy_versions.version_in_force(db_session, return_type)
    assert in_force is not None and in_force.number == 1
    return_type.policy = TWELVE  # changed without a version (as an old path would)
    assert policy_versions.version_in_force(db_session, return_type) is None


def test_default_return_types_are_installed_with_their_policy_as_version_1(db_session, admin):
    from workflow_designer.runtime.defaults import install_default_return_types

    for return_type in install_default_return_types(db_session, admin):
        (version,) = policy_versions.history(db_session, return_type.id)
        assert (version.number, version.params) == (1, return_type.policy)
        assert version.created_by_id == admin.id
