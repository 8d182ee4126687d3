"""Fixtures for the designer's tests: an admin logged in, a return type on a workflow."""

from __future__ import annotations

import pytest

from models import Role
from tests.factories import make_published_workflow, make_return_type, make_user


@pytest.fixture
def admin(db_session, login_as):
    user = make_user(db_session, Role.ADMIN, name="Ada Admin")
    db_session.commit()
    login_as(user)
    return user


@pytest.fixture
def version(db_session, admin):
    """The published first version of a stock rotation workflow."""
    version = make_published_workflow(db_session, actor=admin, name="Rotation flow")
    db_session.commit()
    return version


@pytest.fixture
def workflow(version):
    return version.workflow


@pytest.fixture
def return_type(db_session, version):
    return_type = make_return_type(db_session, version.workflow_id, name="Stock rotation")
    db_session.commit()
    return return_type
