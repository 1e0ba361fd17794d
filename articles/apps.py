from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import pre_save

        from articles import image_uses, redirects, signals  # noqa: F401
        from coverage_site.text import clean_person_names

        pre_save.connect(clean_person_names, sender=get_user_model())
