from datetime import timedelta

from django.db import models
from django.utils import timezone

# A delivery that has not happened this long after its commit is taken to have been lost.
DELIVERY_GRACE = timedelta(seconds=10)


class PendingInvalidationQuerySet(models.QuerySet):
    def replayable(self):
        """Invalidations the cache missed: failed ones, and ones whose process never delivered."""
        lost = models.Q(created_at__lt=timezone.now() - DELIVERY_GRACE)
        return self.filter(models.Q(failed=True) | lost).order_by("pk")


class PendingInvalidation(models.Model):
    """Cache keys a committed change touched, until the page cache's journal has them.

    Written in the change's own transaction; deleted once delivered. A row that stays is replayed
    (`coverage_site.page_cache.Replayer`) when the cache answers again.
    """

    keys = models.TextField(help_text="Space-separated cache keys; “*” means every page.")
    failed = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = PendingInvalidationQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"Invalidation of {self.keys} at {self.created_at:%Y-%m-%d %H:%M:%S}"

    def key_set(self):
        return set(self.keys.split())
