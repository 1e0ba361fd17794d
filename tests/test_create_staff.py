"""Operators create newsroom accounts with `manage.py create_staff`."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from tests.factories import make_user

pytestmark = pytest.mark.django_db

User = get_user_model()


def create_staff(*args):
    out = StringIO()
    call_command("create_staff", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(("role", "group"), [("editor", "Editors"), ("writer", "Writers")])
def test_creates_staff_in_the_role_group(monkeypatch, client, role, group):
    monkeypatch.setenv("STAFF_PASSWORD", "a long newsroom password")
    output = create_staff("priya", "--role", role, "--first-name", "Priya")
    assert f"Created {role} “priya”." in output
    user = User.objects.get(username="priya")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [group]
    assert client.login(username="priya", password="a long newsroom password")


def test_unknown_role_is_refused(monkeypatch):
    monkeypatch.setenv("STAFF_PASSWORD", "a long newsroom password")
    with pytest.raises(CommandError, match="Unknown role “admin”: use --role editor or"):
        create_staff("priya", "--role", "admin")
    assert not User.objects.exists()


def test_existing_user_is_refused(monkeypatch):
    monkeypatch.setenv("STAFF_PASSWORD", "a long newsroom password")
    make_user("priya", first_name="Original")
    with pytest.raises(CommandError, match="A user named “priya” already exists"):
        create_staff("priya", "--role", "editor")
    assert User.objects.get().first_name == "Original"


def test_weak_password_is_refused(monkeypatch):
    monkeypatch.setenv("STAFF_PASSWORD", "123")
    with pytest.raises(CommandError, match="Password refused: This password is too short"):
        create_staff("priya", "--role", "writer")
    assert not User.objects.exists()


def test_without_a_terminal_or_variable_it_asks_for_the_variable(monkeypatch):
    monkeypatch.delenv("STAFF_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", StringIO(""))
    with pytest.raises(CommandError, match="No password: set STAFF_PASSWORD"):
        create_staff("priya", "--role", "writer")
    assert not User.objects.exists()


def test_password_is_asked_twice_in_a_terminal(monkeypatch):
    monkeypatch.delenv("STAFF_PASSWORD", raising=False)
    from articles.management.commands import create_staff as command

    monkeypatch.setattr(command.Command, "interactive", staticmethod(lambda: True))
    answers = iter(["a long newsroom password", "a different password"])
    monkeypatch.setattr(command.getpass, "getpass", lambda prompt: next(answers))
    with pytest.raises(CommandError, match="The two passwords differ"):
        create_staff("priya", "--role", "writer")
    assert not User.objects.exists()
