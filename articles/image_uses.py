"""Article bodies store their rendered HTML; a figure's words and files come from the image
library, so when a library image changes, the bodies that show it are rendered again."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from articles.markdown import render_markdown
from articles.models import Article
from images.models import Image


@receiver(post_save, sender=Image)
def rerender_bodies_showing_image(sender, instance, created, **kwargs):
    if created:
        return
    for article in Article.objects.filter(figure_links__image=instance).only("pk", "body"):
        # An update, not a save: the article's own version and updated time do not move.
        Article.objects.filter(pk=article.pk).update(body_html=render_markdown(article.body))
