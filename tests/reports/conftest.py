import pytest

from tests.web.conftest import Browser


@pytest.fixture()
def browser(app, world):
    return Browser(app.test_client())
