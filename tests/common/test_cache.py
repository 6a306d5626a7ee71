"""The cache's Redis client (common/cache.py): one redis.Redis per connection pool, not one per operation."""

from common.cache import OneClientRedisCache, cache_config


def test_every_operation_shares_one_client_of_the_pool():
    # No server is needed: redis.Redis connects on its first command.
    cache = OneClientRedisCache("redis://127.0.0.1:1/0", {})
    client = cache._cache.get_client()
    assert cache._cache.get_client("a key") is client
    assert cache._cache.get_client(write=True) is client
    assert client.connection_pool is cache._cache._get_connection_pool(False)


def test_a_redis_url_gets_it_and_a_sentinel_url_the_sentinel_cache():
    assert cache_config("redis://127.0.0.1:6379/0", master_name="m")["BACKEND"] == "common.cache.OneClientRedisCache"
    assert cache_config("sentinel://h:26379/0", master_name="m")["BACKEND"] == "common.cache.SentinelRedisCache"
