from django.core.management.base import BaseCommand
from django.db import transaction

from articles.models import Article
from articles.search import index_article
from coverage_site.page_cache import invalidate_everything


class Command(BaseCommand):
    help = (
        "Rewrite the search index for every article (after a bulk import, a restore from "
        "backup, or a change to how articles are indexed)."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        count = 0
        for article_id in Article.objects.values_list("pk", flat=True).iterator():
            index_article(article_id)
            count += 1
        invalidate_everything()
        self.stdout.write(f"Indexed {count} articles.")
