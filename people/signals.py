from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from coverage_site.page_cache import content_changed
from people.models import Profile, profile_for


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def give_new_user_a_profile(sender, instance, created, **kwargs):
    if created:
        profile_for(instance)


@receiver(post_save, sender=Profile)
def refresh_pages_showing_author(sender, **kwargs):
    """Names, roles and photos are on bylines and author pages."""
    content_changed()
