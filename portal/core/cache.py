"""Django's Redis cache, reusing its client objects.

Django's RedisCacheClient builds a new ``redis.Redis`` object for every cache
operation. The connection comes from a shared pool either way, but building the
client (its table of response callbacks) cost about 0.15 ms per operation on
these machines: more than the Redis round trip itself, and a search page makes
several. A ``redis.Redis`` object is safe to share between threads (each command
borrows a connection from the pool), so one per pool is kept and reused.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class PortalRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
