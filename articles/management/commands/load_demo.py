from datetime import datetime, timedelta

import reversion
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from articles import demo_content
from articles.demo_images import lead_graphic
from articles.models import Article, KeyPoint, Source
from people.models import profile_for
from topics.models import Topic

SCHEDULED_DELAY = timedelta(days=7)
DEMO_PROFILES = {
    "anika.rao": (
        "Diplomatic correspondent",
        "Follows India's relations with Russia, the Gulf and the West from New Delhi: "
        "summits, trade talks and the payments that make them work.",
    ),
    "marcus.hale": (
        "Defence and energy editor",
        "Writes about air defence, fighter programmes, nuclear power and the trade routes "
        "that connect them.",
    ),
}


class Command(BaseCommand):
    help = (
        "Load the demo topics, authors and articles on the 23rd India–Russia summit. "
        "Idempotent: anything that already exists (by topic name or article slug) is left as is, "
        "so editors' changes to demo content survive a second run."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        writers = Group.objects.get(name="Writers")
        authors = {spec["username"]: self.author(spec, writers) for spec in demo_content.AUTHORS}
        topics = {spec["name"]: self.topic(spec) for spec in demo_content.TOPICS}
        for spec in demo_content.TOPICS:
            if spec.get("parties") and not topics[spec["name"]].parties.exists():
                topics[spec["name"]].parties.set([topics[name] for name in spec["parties"]])
        created = 0
        for spec in demo_content.ARTICLES:
            if Article.objects.filter(slug=spec["slug"]).exists():
                continue
            with reversion.create_revision(atomic=False):
                self.create_article(spec, authors, topics)
                reversion.set_comment("Loaded as demo content")
            created += 1
        self.stdout.write(
            f"Demo content ready: {len(topics)} topics, {len(demo_content.ARTICLES)} articles "
            f"({created} new)."
        )

    def author(self, spec, group):
        """A desk writer who cannot log in until an operator sets a password."""
        user, created = get_user_model().objects.get_or_create(
            username=spec["username"],
            defaults={"first_name": spec["first_name"], "last_name": spec["last_name"]},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user.groups.add(group)
            if spec["username"] in DEMO_PROFILES:
                role, bio = DEMO_PROFILES[spec["username"]]
                profile = profile_for(user)
                profile.role, profile.bio = role, bio
                profile.save(update_fields=["role", "bio"])
        return user

    def topic(self, spec):
        try:
            return Topic.objects.named(spec["name"])
        except Topic.DoesNotExist:
            return Topic.objects.create(
                name=spec["name"], kind=spec["kind"], description=spec["description"]
            )

    def create_article(self, spec, authors, topics):
        article = Article.objects.create(
            slug=spec["slug"],
            headline=spec["headline"],
            standfirst=spec["standfirst"],
            body=spec["body"],
            status=spec["status"],
            published_at=self.publication_time(spec["published_at"]),
            lead_image=lead_graphic(spec["slug"]),
        )
        # Demo copy has not been revised since it was published.
        Article.objects.filter(pk=article.pk).update(
            updated_at=article.published_at or article.created_at
        )
        article.authors.set([authors[username] for username in spec["authors"]])
        article.topics.set([topics[name] for name in spec["topics"]])
        KeyPoint.objects.bulk_create(
            KeyPoint(article=article, text=text, position=position)
            for position, text in enumerate(spec["key_points"], start=1)
        )
        Source.objects.bulk_create(
            Source(article=article, publication=source["publication"], title=source["note"],
                   position=position)
            for position, source in enumerate(spec["sources"], start=1)
        )  # fmt: skip

    @staticmethod
    def publication_time(value):
        """ISO time as given; "future" schedules the article a week from now."""
        if value == "future":
            return timezone.now() + SCHEDULED_DELAY
        return datetime.fromisoformat(value) if value else None
