import reversion
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

import importer
from articles import demo_content
from articles.demo_images import lead_graphic
from articles.models import Article
from people.models import profile_for
from topics.models import Milestone, Topic, TopicAlias

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
        "Load the demo topics, authors and articles on the 23rd India–Russia summit; the "
        "articles are read from articles/demo/ through the importer, with publication times "
        "relative to now. "
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
            for name in spec.get("aliases", ()):
                self.alias(topics[spec["name"]], name)
        created = 0
        known_topics = list(topics.values())
        for spec in demo_content.ARTICLES:
            path = demo_content.DEMO_COPY / spec["file"]
            imported = importer.parse(path.read_bytes(), path.name, known_topics=known_topics)
            if Article.objects.filter(slug=imported.slug).exists():
                continue
            with reversion.create_revision(atomic=False):
                self.create_article(imported, spec, authors)
                reversion.set_comment("Loaded as demo content")
            created += 1
        for name, timeline in demo_content.TIMELINES.items():
            self.timeline(topics[name], timeline)
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

    def timeline(self, topic, timeline):
        """The topic's demo milestones, unless it has a timeline already."""
        if topic.milestones.exists():
            return
        topic.timeline_order = timeline["order"]
        topic.save(update_fields=["timeline_order"])
        for spec in timeline["milestones"]:
            spec = dict(spec)
            slug = spec.pop("article", None)
            article = Article.objects.filter(slug=slug).first() if slug else None
            Milestone.objects.create(topic=topic, article=article, **spec)

    def alias(self, topic, name):
        """Add the alias unless it is there already, or an editor gave the name to a topic."""
        alias = TopicAlias(topic=topic, name=name)
        try:
            alias.clean()
        except ValidationError:
            return
        alias.save()

    def create_article(self, imported, spec, authors):
        named = [authors[name] for name in imported.author_usernames if name in authors]
        article, _ = importer.create_draft(imported, (named or list(authors.values()))[0])
        article.lead_image = lead_graphic(article.slug)
        if spec.get("status") != Article.Status.DRAFT:
            article.schedule(timezone.now() - spec["age"])
        article.save()
        # Demo copy has not been revised since it was published.
        Article.objects.filter(pk=article.pk).update(
            updated_at=article.published_at or article.created_at
        )
