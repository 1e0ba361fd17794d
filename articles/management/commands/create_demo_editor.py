import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create the demo editor account (Editors group) if nobody can log into the admin yet. "
        "The password comes from DEMO_PASSWORD, or is generated and printed once."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.filter(is_staff=True, is_active=True).exists():
            self.stdout.write("An admin account already exists; no demo editor created.")
            return
        username = os.environ.get("DEMO_USERNAME", "editor")
        password = os.environ.get("DEMO_PASSWORD") or secrets.token_urlsafe(12)
        editor = User.objects.create_user(
            username=username,
            password=password,
            first_name="Demo",
            last_name="Editor",
            is_staff=True,
        )
        editor.groups.add(Group.objects.get(name="Editors"))
        shown = (
            "the password in DEMO_PASSWORD"
            if os.environ.get("DEMO_PASSWORD")
            else f"password: {password}"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo editor created. Log in at /admin/ as “{username}” with {shown}"
            )
        )
        if not os.environ.get("DEMO_PASSWORD"):
            self.stdout.write("That password is shown only once; keep it.")
