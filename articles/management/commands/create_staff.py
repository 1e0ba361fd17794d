import getpass
import os
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

ROLES = {"editor": "Editors", "writer": "Writers"}
PASSWORD_VARIABLE = "STAFF_PASSWORD"


class Command(BaseCommand):
    help = (
        "Create a newsroom account: an editor (publishes, edits anything, manages topics) or a "
        f"writer (writes and submits drafts). The password is read from {PASSWORD_VARIABLE}, "
        "or asked for."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, help="editor or writer")
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args, username, role, email, first_name, last_name, **options):
        if role not in ROLES:
            raise CommandError(f"Unknown role “{role}”: use --role editor or --role writer.")
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user named “{username}” already exists; nothing was changed.")
        try:
            group = Group.objects.get(name=ROLES[role])
        except Group.DoesNotExist as missing:
            raise CommandError(
                f"The {ROLES[role]} group is missing: run `manage.py migrate` first."
            ) from missing
        user = User(username=username, email=email, first_name=first_name, last_name=last_name)
        password = self.password()
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError("Password refused: " + " ".join(error.messages)) from error
        user.is_staff = True
        user.set_password(password)
        with transaction.atomic():
            user.save()
            user.groups.add(group)
        self.stdout.write(self.style.SUCCESS(f"Created {role} “{username}”."))

    def password(self):
        if os.environ.get(PASSWORD_VARIABLE):
            return os.environ[PASSWORD_VARIABLE]
        if not self.interactive():
            raise CommandError(
                f"No password: set {PASSWORD_VARIABLE} or run the command in a terminal."
            )
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ; nothing was changed.")
        return password

    @staticmethod
    def interactive():
        return sys.stdin is not None and sys.stdin.isatty()
