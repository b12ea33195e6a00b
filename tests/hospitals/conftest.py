import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_search_cache():
    """Search results are cached per data version; each test starts with an empty cache."""
    cache.clear()
    yield
    cache.clear()
