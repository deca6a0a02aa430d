import pytest
from django.core.cache import cache

from .client import GraphQLClient


@pytest.fixture
def api(client):
    cache.clear()
    return GraphQLClient(client)
