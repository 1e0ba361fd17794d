import pytest
from django.conf import settings
from django.core.management import call_command

from tests.factories import make_user


@pytest.fixture(scope="session", autouse=True)
def collected_static(tmp_path_factory):
    """Pages link hashed static names, so collect them once, as production does."""
    settings.STATIC_ROOT = tmp_path_factory.mktemp("staticfiles")
    call_command("collectstatic", "--noinput", verbosity=0)


@pytest.fixture
def editor(db):
    return make_user("editor", first_name="Esha", last_name="Menon", is_superuser=True)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
