"""An alias added, renamed or removed: the topic's pages and the list of names go stale."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles import cache_keys
from coverage_site.page_cache import note_change
from topics.models import TopicAlias


@receiver([post_save, post_delete], sender=TopicAlias)
def alias_changed(sender, instance, **kwargs):
    note_change({cache_keys.topic_key(instance.topic_id), cache_keys.TOPIC_ALIASES})
