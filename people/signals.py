from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from articles.cache_keys import person_key
from coverage_site.page_cache import note_change
from people.models import Profile, profile_for


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def give_new_user_a_profile(sender, instance, created, **kwargs):
    if created:
        profile_for(instance)


@receiver(post_save, sender=Profile)
def refresh_pages_showing_author(sender, instance, **kwargs):
    """Names, roles and photos are on bylines and author pages."""
    note_change({person_key(instance.user_id)})
