"""The deployment check on police posts: an active post with no e-mail never receives its notices."""

import pytest

from facilities.checks import post_contact_check
from facilities.models import PolicePost
from tests import factories

pytestmark = pytest.mark.django_db


def test_an_active_post_without_email_is_an_error():
    factories.PolicePostFactory(code="ALA-PP-07", email="")
    factories.PolicePostFactory(code="ALA-PP-08")

    errors = post_contact_check(None)

    assert [error.id for error in errors] == ["qorgau.E006"]
    assert "ALA-PP-07" in errors[0].msg and "ALA-PP-08" not in errors[0].msg


def test_a_planned_post_without_email_is_fine():
    factories.PolicePostFactory(code="ALA-PP-09", email="", status=PolicePost.Status.PLANNED)

    assert post_contact_check(None) == []
