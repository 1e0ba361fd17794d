import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings

from tests.factories import make_editor, make_writer


@pytest.fixture(scope="session", autouse=True)
def collected_static(tmp_path_factory):
    """Pages link hashed static names, so collect them once, as production does."""
    settings.STATIC_ROOT = tmp_path_factory.mktemp("staticfiles")
    call_command("collectstatic", "--noinput", verbosity=0)


@pytest.fixture(scope="session", autouse=True)
def media_root(tmp_path_factory):
    """Uploads and renditions go to a temporary MEDIA_ROOT for the whole test session."""
    root = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=str(root)):
        yield root


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with no cached pages (the cache outlives a test's database rollback)."""
    cache.clear()


@pytest.fixture
def page_cache_off(settings):
    """Measure pages as they are built (what the benchmark calls cold)."""
    settings.PAGE_CACHE_ENABLED = False


@pytest.fixture
def editor(db):
    """A member of the Editors group: Edie Editor."""
    return make_editor()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def writer(db):
    """A member of the Writers group: Wren Writer."""
    return make_writer()


@pytest.fixture
def writer_client(client, writer):
    client.force_login(writer)
    return client
