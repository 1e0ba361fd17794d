"""Writers upload and edit library images and their own profile; editors do everything with
images and profiles. Every existing account gets its author profile."""

import re

from anyascii import anyascii
from django.contrib.auth.management import create_permissions
from django.db import migrations

WRITER_PERMISSIONS = [
    ("images", "add_image"),
    ("images", "change_image"),
    ("images", "view_image"),
    ("people", "change_profile"),
    ("people", "view_profile"),
]
EDITOR_APPS = ["images", "people"]


def slug_for(user, taken):
    name = f"{user.first_name} {user.last_name}".strip() or user.username
    base = re.sub(r"[^a-z0-9]+", "-", anyascii(name).lower()).strip("-")[:100] or "author"
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    taken.add(slug)
    return slug


def forwards(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    writers = Group.objects.filter(name="Writers").first()
    if writers:
        for app_label, codename in WRITER_PERMISSIONS:
            writers.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
    editors = Group.objects.filter(name="Editors").first()
    if editors:
        editors.permissions.add(*Permission.objects.filter(content_type__app_label__in=EDITOR_APPS))
    User = apps.get_model("auth", "User")
    Profile = apps.get_model("people", "Profile")
    taken = set(Profile.objects.values_list("slug", flat=True))
    Profile.objects.bulk_create(
        Profile(user=user, slug=slug_for(user, taken))
        for user in User.objects.filter(profile__isnull=True).order_by("pk")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_author_profiles"),
        ("images", "0001_image_library"),
        ("articles", "0004_newsroom_can_see_authors"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
