"""The default return types are installed with their default policies."""

from __future__ import annotations

from workflow_designer.policy import default_policy, validate_policy
from workflow_designer.runtime.defaults import install_default_return_types


def test_installed_return_types_carry_valid_default_policies(db_session):
    return_types = install_default_return_types(db_session, None)
    db_session.expire_all()
    for return_type in return_types:
        assert return_type.policy == default_policy(return_type.code)
        assert return_type.policy, return_type.code
        assert validate_policy(return_type.policy) == []


def test_evidence_rule_agrees_with_the_return_type_flags(db_session):
    for return_type in install_default_return_types(db_session, None):
        evidence = return_type.policy.get("evidence", {"enabled": False})
        photos = evidence["enabled"] and evidence["photos"]
        description = evidence["enabled"] and evidence["description"]
        assert (photos, description) == (
            return_type.requires_photos,
            return_type.requires_description,
        ), return_type.code
