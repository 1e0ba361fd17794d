from contextlib import contextmanager

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from coverage_site import page_cache
from tests.browser_forms import form_data
from tests.factories import PASSWORD, make_editor, make_writer


@pytest.fixture(scope="session", autouse=True)
def collected_static(tmp_path_factory):
    """Pages link hashed static names, so collect them once, as production does."""
    settings.STATIC_ROOT = tmp_path_factory.mktemp("staticfiles")
    call_command("collectstatic", "--noinput", verbosity=0)


@pytest.fixture(scope="session", autouse=True)
def shared_cache_in_a_temporary_folder(tmp_path_factory):
    """The default shared cache (diskcache) lives in a folder of this test run."""
    default = settings.CACHES["default"]
    if default["BACKEND"].endswith("FailSoftDiskCache"):
        location = str(tmp_path_factory.mktemp("cache"))
        with override_settings(CACHES={"default": {**default, "LOCATION": location}}):
            yield
    else:
        yield


@pytest.fixture(scope="session", autouse=True)
def media_root(tmp_path_factory):
    """Uploads and renditions go to a temporary MEDIA_ROOT for the whole test session."""
    root = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=str(root)):
        yield root


@pytest.fixture(autouse=True)
def empty_cache(settings):
    """Each test starts with no cached pages (the cache outlives a test's database rollback).

    The periodic look for missed invalidations (one query a second) runs once at the start of a
    test rather than at random moments of a slow run; tests/test_faults.py drives it itself.
    """
    cache.clear()
    settings.PAGE_CACHE_REPLAY_SECONDS = 3600
    page_cache.replayer.next_check = 0.0
    page_cache.journal.entries.clear()
    page_cache.recent_pages.clear()
    page_cache.recent_cards.clear()


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


@contextmanager
def run_commit_hooks():
    yield
    while connection.run_on_commit:
        _savepoints, callback, _robust = connection.run_on_commit.pop(0)
        callback()


@pytest.fixture
def committed():
    """`with committed(): ...` runs, after the block, what committing the test's changes so far
    would run (the cache learns of changes on commit; a test's own transaction never commits)."""
    return run_commit_hooks


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
