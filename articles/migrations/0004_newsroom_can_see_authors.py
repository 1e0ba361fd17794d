"""Let writers and editors look up colleagues, so the byline's autocomplete works for them."""

from django.db import migrations


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view_user = Permission.objects.get(content_type__app_label="auth", codename="view_user")
    for group in Group.objects.filter(name__in=["Writers", "Editors"]):
        group.permissions.add(view_user)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=["Writers", "Editors"]):
        group.permissions.remove(*group.permissions.filter(codename="view_user"))


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_newsroom_groups")]

    operations = [migrations.RunPython(grant, revoke)]
