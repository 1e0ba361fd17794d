from django.db import migrations


def index_topic_aliases(apps, schema_editor):
    """Every article's entry gains its topics' aliases and folded names (SQLite: in a new
    column of the FTS5 table, made afresh)."""
    from articles.search import FTS_TABLE, create_fts_table, index_articles_in_bulk

    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
            create_fts_table(cursor)
    article_model = apps.get_model("articles", "Article")
    index_articles_in_bulk(list(article_model.objects.values_list("pk", flat=True)))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_old_article_addresses"),
        ("topics", "0006_merges_and_old_addresses"),
    ]

    operations = [
        # The previous code writes the columns it knows into the new table, so going back
        # needs nothing undone.
        migrations.RunPython(index_topic_aliases, migrations.RunPython.noop),
    ]
