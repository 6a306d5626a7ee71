"""API personas: the suite's users, plus a device key of post A and one of post B."""

import pytest
from django.test import Client

from api.authentication import token_issue
from api.services import apikey_create


@pytest.fixture
def api(db):
    """A client that asks for English and sends JSON; `as_key`, `as_user` and `as_token` set the credentials."""
    return ApiClient()


class ApiClient(Client):
    def __init__(self):
        super().__init__(HTTP_ACCEPT_LANGUAGE="en")
        self.auth_header: str | None = None

    def as_key(self, raw: str) -> "ApiClient":
        self.auth_header = f"Api-Key {raw}"
        return self

    def as_token(self, user) -> "ApiClient":
        self.auth_header = f"Bearer {token_issue(user=user)}"
        return self

    def _auth(self, extra):
        if self.auth_header and "HTTP_AUTHORIZATION" not in extra:
            extra["HTTP_AUTHORIZATION"] = self.auth_header
        return extra

    def get(self, path, data=None, **extra):
        return super().get(path, data, **self._auth(extra))

    def post(self, path, data=None, content_type="application/json", **extra):
        return super().post(path, data, content_type=content_type, **self._auth(extra))


@pytest.fixture
def key_a(post_a):
    _row, raw = apikey_create(name="panic button, admission", post_code=post_a.code)
    return raw


@pytest.fixture
def key_b(post_b):
    _row, raw = apikey_create(name="panic button B", post_code=post_b.code)
    return raw


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """Throttle counts live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
