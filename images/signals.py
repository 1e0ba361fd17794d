"""Keep stored files and cached pages in step with the library."""

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles.cache_keys import image_keys
from coverage_site.page_cache import note_change
from images.models import Image


@receiver(post_delete, sender=Image)
def delete_image_files(sender, instance, **kwargs):
    names = [instance.file.name, *(r.file.name for r in instance.renditions.all())]
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names if name])


@receiver([post_save, post_delete], sender=Image)
def refresh_pages_showing_image(sender, instance, **kwargs):
    """Captions, credits and crops are on the pages of the articles and people that use it."""
    note_change(image_keys(instance))
