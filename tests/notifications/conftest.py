import pytest

from cms.platform.plugins import set_enabled
from tests.api.conftest import api  # noqa: F401
from tests.plugins.sample import extensions


@pytest.fixture
def channel(db):
    """The sample plugin's recording channel, enabled."""
    set_enabled("sample_plugin", True)
    extensions.SENT.clear()
    yield extensions.SENT
    extensions.SENT.clear()
