"""Editors edit timelines; writers see them (as they see topics)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_CODENAMES = ["add_milestone", "change_milestone", "delete_milestone", "view_milestone"]
WRITER_CODENAMES = ["view_milestone"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(codenames):
        return Permission.objects.filter(content_type__app_label="topics", codename__in=codenames)

    for name, codenames in [("Editors", EDITOR_CODENAMES), ("Writers", WRITER_CODENAMES)]:
        group = Group.objects.filter(name=name).first()
        if group:
            group.permissions.add(*permissions(codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("topics", "0007_milestones"),
        ("articles", "0003_newsroom_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
