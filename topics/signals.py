"""A milestone edited or deleted makes its topic's page stale (its timeline and JSON-LD)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles import cache_keys
from coverage_site.page_cache import note_change
from topics.models import Milestone


@receiver([post_save, post_delete], sender=Milestone)
def milestone_changed(sender, instance, **kwargs):
    note_change({cache_keys.topic_key(instance.topic_id)})
