import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.browser_forms import form_data
from tests.factories import PASSWORD, make_editor, make_writer


@pytest.fixture(scope="session", autouse=True)
def collected_static(tmp_path_factory):
    """Pages link hashed static names, so collect them once, as production does."""
    settings.STATIC_ROOT = tmp_path_factory.mktemp("staticfiles")
    call_command("collectstatic", "--noinput", verbosity=0)


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


def log_in_through_the_form(client, username, password=PASSWORD, **extra):
    """Log in as a person does: the admin's login page, its CSRF token, the password."""
    page = client.get(reverse("admin:login"), **extra)
    data = {**form_data(page.text, "login-form"), "username": username, "password": password}
    return client.post(reverse("admin:login"), data, **extra)


def _logged_in_with_csrf(user):
    client = Client(enforce_csrf_checks=True)
    response = log_in_through_the_form(client, user.get_username())
    assert response.status_code == 302, "the login form refused a correct password"
    return client


@pytest.fixture
def editor_csrf_client(editor):
    """An editor's browser: logged in through the form, every POST checked for its CSRF token."""
    return _logged_in_with_csrf(editor)


@pytest.fixture
def writer_csrf_client(writer):
    """A writer's browser: logged in through the form, every POST checked for its CSRF token."""
    return _logged_in_with_csrf(writer)
