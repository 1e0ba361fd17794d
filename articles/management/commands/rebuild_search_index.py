from django.core.management.base import BaseCommand
from django.db import transaction

from articles.models import Article
from articles.search import index_articles_in_bulk
from coverage_site.page_cache import invalidate_everything


class Command(BaseCommand):
    help = (
        "Rewrite the search index for every article (after a bulk import, a restore from "
        "backup, or a change to how articles are indexed)."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        article_ids = list(Article.objects.values_list("pk", flat=True))
        index_articles_in_bulk(article_ids)  # 500 articles a statement
        count = len(article_ids)
        invalidate_everything()
        self.stdout.write(f"Indexed {count} articles.")
