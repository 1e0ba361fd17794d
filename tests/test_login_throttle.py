"""Logins as an attacker tries them: guessing is throttled per username and per address, staff
passwords are long, and sessions end after hours without use."""

from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.browser_forms import form_data
from tests.conftest import log_in_through_the_form
from tests.factories import PASSWORD, make_editor, make_writer

pytestmark = pytest.mark.django_db

ATTACKER = {"REMOTE_ADDR": "203.0.113.9"}
OFFICE = {"REMOTE_ADDR": "198.51.100.20"}


def attempt(username, password, **address):
    client = Client(enforce_csrf_checks=True)
    return client, log_in_through_the_form(client, username, password, **address)


def guess(username, times, **address):
    for _ in range(times):
        _, response = attempt(username, "wrong password guess", **address)
        assert response.status_code in (200, 429)


def test_wrong_passwords_then_the_right_one_is_refused_with_a_clear_message():
    editor = make_editor()
    guess(editor.username, settings.AXES_FAILURE_LIMIT, **ATTACKER)
    client, response = attempt(editor.username, PASSWORD, **ATTACKER)
    assert response.status_code == 429
    assert "Too many failed logins" in response.text
    assert "logging in is paused for 30 minutes" in response.text
    assert "axes_reset_username desk.editor" in response.text
    assert client.get(reverse("admin:index"), **ATTACKER).status_code == 302  # not logged in


def test_the_limit_counts_failures_not_attempts():
    editor = make_editor()
    guess(editor.username, settings.AXES_FAILURE_LIMIT - 1, **ATTACKER)
    _, response = attempt(editor.username, PASSWORD, **ATTACKER)
    assert response.status_code == 302  # the fourth wrong password was not the last chance


def test_guessing_from_many_addresses_still_locks_the_username():
    editor = make_editor()
    for n in range(settings.AXES_FAILURE_LIMIT):
        guess(editor.username, 1, REMOTE_ADDR=f"192.0.2.{n + 1}")
    _, response = attempt(editor.username, PASSWORD, REMOTE_ADDR="192.0.2.200")
    assert response.status_code == 429


def test_spraying_many_usernames_from_one_address_locks_the_address():
    make_editor()
    for n in range(settings.AXES_FAILURE_LIMIT):
        guess(f"someone{n}", 1, **ATTACKER)
    _, response = attempt("desk.editor", PASSWORD, **ATTACKER)
    assert response.status_code == 429


def test_a_lockout_does_not_affect_other_people():
    editor = make_editor()
    writer = make_writer()
    guess(editor.username, settings.AXES_FAILURE_LIMIT + 5, **ATTACKER)
    _, response = attempt(writer.username, PASSWORD, **OFFICE)
    assert response.status_code == 302


def test_the_lock_lifts_by_itself_after_the_cool_off():
    editor = make_editor()
    guess(editor.username, settings.AXES_FAILURE_LIMIT, **ATTACKER)
    later = timezone.now() + settings.AXES_COOLOFF_TIME
    with time_machine.travel(later, tick=False):
        _, response = attempt(editor.username, PASSWORD, **OFFICE)
    assert response.status_code == 302


def test_axes_reset_username_unlocks_an_editor_at_once():
    editor = make_editor()
    guess(editor.username, settings.AXES_FAILURE_LIMIT, **ATTACKER)
    call_command("axes_reset_username", editor.username, stdout=StringIO())
    _, response = attempt(editor.username, PASSWORD, **OFFICE)
    assert response.status_code == 302


def test_create_staff_refuses_a_password_shorter_than_twelve_characters(monkeypatch):
    monkeypatch.setenv("STAFF_PASSWORD", "Kx9#mQ2$vL4")  # 11 characters, otherwise strong
    with pytest.raises(CommandError, match="at least 12 characters"):
        call_command("create_staff", "tom", role="writer", stdout=StringIO())
    assert not get_user_model().objects.filter(username="tom").exists()


def test_admin_password_change_refuses_a_short_password(editor_csrf_client, editor):
    url = reverse("admin:password_change")
    editor_csrf_client.get(url)
    data = {
        "csrfmiddlewaretoken": editor_csrf_client.cookies["csrftoken"].value,
        "old_password": PASSWORD,
        "new_password1": "Kx9#mQ2$vL4",
        "new_password2": "Kx9#mQ2$vL4",
    }
    response = editor_csrf_client.post(url, data)
    assert response.status_code == 200 and "at least 12 characters" in response.text
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)


def test_staff_session_ends_after_twelve_idle_hours_and_is_renewed_by_use(editor_csrf_client):
    assert settings.SESSION_COOKIE_AGE == 12 * 3600
    start = timezone.now()
    with time_machine.travel(start + timezone.timedelta(hours=11), tick=False):
        assert editor_csrf_client.get(reverse("admin:index")).status_code == 200
    with time_machine.travel(start + timezone.timedelta(hours=22), tick=False):
        assert editor_csrf_client.get(reverse("admin:index")).status_code == 200  # renewed
    with time_machine.travel(start + timezone.timedelta(hours=34, minutes=1), tick=False):
        assert editor_csrf_client.get(reverse("admin:index")).status_code == 302  # expired


def test_a_refused_next_lands_in_the_admin_not_on_a_404():
    make_editor()
    client = Client(enforce_csrf_checks=True)
    url = reverse("admin:login") + "?next=https://evil.example/steal"
    data = {
        **form_data(client.get(url).text, "login-form"),
        "username": "desk.editor",
        "password": PASSWORD,
    }
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
