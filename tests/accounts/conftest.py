import pytest

from accounts.models import User


@pytest.fixture
def superuser(db):
    """A superuser with no role group: Django grants them every permission, Qorgau treats them as an administrator."""
    return User.objects.create_superuser("root", "root@example.com", "x-root-password")
