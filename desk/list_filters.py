"""The article list's desk filters: mine, waiting for review, sent back to me, by author."""

from django.contrib import admin
from django.contrib.auth import get_user_model

from articles.models import Article
from desk import dashboard


class DeskQueueFilter(admin.SimpleListFilter):
    title = "desk"
    parameter_name = "desk"

    def lookups(self, request, model_admin):
        return [
            ("mine", "Mine"),
            ("waiting", "Waiting for review"),
            ("sent_back", "Sent back to me"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "mine":
            return dashboard.written_by(queryset, request.user)
        if value == "waiting":
            return queryset.filter(status=Article.Status.IN_REVIEW)
        if value == "sent_back":
            return queryset.filter(pk__in=dashboard.sent_back_to(request.user).values("pk"))
        return queryset


class AuthorFilter(admin.SimpleListFilter):
    """Colleagues who are in at least one byline, by name."""

    title = "author"
    parameter_name = "author"

    def lookups(self, request, model_admin):
        bylines = Article.authors.through.objects.values("user_id")
        people = (
            get_user_model()
            .objects.filter(pk__in=bylines)
            .order_by("last_name", "first_name", "username")
        )
        return [
            (str(person.pk), person.get_full_name() or person.get_username()) for person in people
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(
                pk__in=Article.authors.through.objects.filter(user_id=value).values("article_id")
            )
        return queryset
