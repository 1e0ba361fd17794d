"""Writers find colleagues for the byline through the desk's narrow lookup (names of active
staff only), so they no longer need the permission to browse every user account."""

from django.db import migrations


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="Writers"):
        group.permissions.remove(*group.permissions.filter(codename="view_user"))


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view_user = Permission.objects.filter(content_type__app_label="auth", codename="view_user")
    for group in Group.objects.filter(name="Writers"):
        group.permissions.add(*view_user)


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0001_notes_and_autosaves"),
        ("articles", "0004_newsroom_can_see_authors"),
    ]

    operations = [migrations.RunPython(revoke, grant)]
