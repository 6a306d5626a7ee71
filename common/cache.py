"""The cache on Redis, also behind Redis Sentinel: REDIS_URL=sentinel://host1:26379/0;sentinel://host2:26379/0
(kombu's form, which the Celery broker reads as it is). Django's RedisCache takes only redis:// URLs."""

from typing import Any
from urllib.parse import urlsplit

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis import Redis
from redis.sentinel import Sentinel

SENTINEL_SCHEME = "sentinel://"


def sentinel_urls(url: str) -> list[str]:
    return [part.strip() for part in url.split(";") if part.strip()]


class OneClientCacheClient(RedisCacheClient):
    """Django's client builds a new redis.Redis, with its table of some 170 reply parsers, for every cache operation:
    half the cost of a read the inbox's poll makes each time (issue 14). One per connection pool serves them all
    (redis.Redis is safe to share between threads; the pool hands each command a connection)."""

    def __init__(self, servers: list[str], **options: Any) -> None:
        super().__init__(servers, **options)
        self._clients: dict[int, Redis] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Redis:
        index = self._get_connection_pool_index(write)  # type: ignore[attr-defined]  # Django's, not in the stubs
        if index not in self._clients:
            self._clients[index] = super().get_client(key, write=write)
        return self._clients[index]


class OneClientRedisCache(RedisCache):
    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = OneClientCacheClient


class SentinelCacheClient(RedisCacheClient):
    """Asks the sentinels which server is the master, and follows it when it changes."""

    def __init__(self, servers: list[str], *, master_name: str, **options: Any) -> None:
        super().__init__(servers, **options)
        first = urlsplit(servers[0])
        self._db = int(first.path.strip("/") or 0)
        self._password = first.password
        self._master_name = master_name
        self._sentinel = Sentinel(  # type: ignore[no-untyped-call]
            [(urlsplit(server).hostname, urlsplit(server).port or 26379) for server in servers],
            socket_timeout=5,
            socket_connect_timeout=2,
        )
        self._master: Redis | None = None

    def get_client(self, key: Any = None, *, write: bool = False) -> Redis:
        if self._master is None:
            self._master = self._sentinel.master_for(  # type: ignore[no-untyped-call]
                self._master_name, db=self._db, password=self._password, socket_timeout=5, socket_connect_timeout=2
            )
        return self._master


class SentinelRedisCache(RedisCache):
    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(sentinel_urls(server) if isinstance(server, str) else server, params)
        self._class = SentinelCacheClient


def cache_config(url: str, *, master_name: str) -> dict[str, Any]:
    """The CACHES entry for a redis:// or a sentinel:// REDIS_URL."""
    if url.startswith(SENTINEL_SCHEME):
        return {"BACKEND": "common.cache.SentinelRedisCache", "LOCATION": url, "OPTIONS": {"master_name": master_name}}
    return {"BACKEND": "common.cache.OneClientRedisCache", "LOCATION": url}
