"""Merge one topic into another, and undo a merge from its audit record.

    preview(source, target) -> MergePreview        what a merge would move and redirect
    merge_topics(source, target, user) -> TopicMerge
    changes_since(merge) -> [str]                   what an undo could not put back as it was
    undo_merge(merge, user, force=False) -> Topic   the source topic, back

The admin, the `merge_topics` command and the tests all go through these. Links are moved in
bulk (no per-link signals), so each function recounts, reindexes and notes the page cache
itself, once.
"""

from dataclasses import dataclass, field

import reversion
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from articles import cache_keys
from articles.models import Article, TaggedArticle, TopicMonthCount
from articles.search import index_articles_in_bulk
from coverage_site.page_cache import note_change
from topics.models import (
    Milestone,
    Topic,
    TopicAlias,
    TopicMerge,
    TopicRedirect,
    name_refusal,
    topic_name_key,
)

PREVIEW_ARTICLES = 50


class MergeRefused(Exception):
    """The merge cannot be done (a topic into itself, a topic that is gone)."""


class UndoRefused(Exception):
    """The merge cannot be undone at all (it was undone already)."""


class UndoConflict(Exception):
    """Things changed since the merge; `changes` says what. Undo with force=True anyway."""

    def __init__(self, changes):
        self.changes = changes
        super().__init__(" ".join(changes))


def can_merge(user):
    """Merging and undoing are for editors: those who may change and delete topics."""
    return user.has_perm("topics.change_topic") and user.has_perm("topics.delete_topic")


def topic_addresses(slug):
    """The public addresses of a topic with `slug`: its page and its feed."""
    return [
        reverse("topics:detail", kwargs={"slug": slug}),
        reverse("topic_feed", kwargs={"slug": slug}),
    ]


@dataclass
class MergePreview:
    source: Topic
    target: Topic
    article_count: int
    already_tagged_count: int
    articles: list  # the newest PREVIEW_ARTICLES, each with `has_target`
    aliases: list  # the names that will find the target: the source's name and its aliases
    redirects: list = field(default_factory=list)  # [(old address, new address)]
    refusal: str | None = None

    @property
    def moving_count(self):
        return self.article_count - self.already_tagged_count


def merge_refusal(source, target):
    if source.pk == target.pk:
        return f"“{source.name}” cannot be merged into itself: choose another topic."
    return None


def preview(source, target):
    """What merging `source` into `target` would do, without doing it."""
    links = TaggedArticle.objects.filter(tag=source)
    article_ids = links.values("content_object_id")
    with_target = set(
        TaggedArticle.objects.filter(tag=target, content_object_id__in=article_ids).values_list(
            "content_object_id", flat=True
        )
    )
    articles = list(
        Article.objects.filter(pk__in=article_ids)
        .only("pk", "headline", "slug", "status", "published_at")
        .order_by(F("published_at").desc(nulls_first=True), "-pk")[:PREVIEW_ARTICLES]
    )
    for article in articles:
        article.has_target = article.pk in with_target
    old_slugs = [source.slug]
    old_slugs += list(source.aliases.exclude(slug=None).values_list("slug", flat=True))
    old_slugs += list(source.redirects.values_list("old_slug", flat=True))
    redirects = []
    for slug in old_slugs:
        redirects += zip(topic_addresses(slug), topic_addresses(target.slug), strict=True)
    combined = reverse("topics:combined", kwargs={"slugs": f"{source.slug}+other"})
    combined = combined.replace("+other", "+…")  # any page combining it with other topics
    redirects.append((combined, combined.replace(source.slug, target.slug, 1)))
    return MergePreview(
        source=source,
        target=target,
        article_count=links.count(),
        already_tagged_count=len(with_target),
        articles=articles,
        aliases=[source.name, *source.aliases.values_list("name", flat=True)],
        redirects=redirects,
        refusal=merge_refusal(source, target),
    )


# -- Other things attached to a topic --------------------------------------------------------
# Whatever else belongs to a topic moves to the target with a merge and comes back with an
# undo: its timeline (milestones, and the order it is shown in). The snapshot records it.


def move_attached(source, target, snapshot):
    """Move what else is attached to `source` to `target`; record it in `snapshot`."""
    milestones = list(source.milestones.values_list("pk", flat=True))
    snapshot["attached"] = {"milestones": milestones, "timeline_order": source.timeline_order}
    Milestone.objects.filter(pk__in=milestones).update(topic=target)


def restore_attached(snapshot, source, target):
    """Put back on `source` what `move_attached` moved to `target` (target may be None)."""
    attached = snapshot.get("attached", {})
    Milestone.objects.filter(
        pk__in=attached.get("milestones", []), topic_id=snapshot["target"]
    ).update(topic=source)
    if attached.get("timeline_order"):
        Topic.objects.filter(pk=source.pk).update(timeline_order=attached["timeline_order"])


def attached_changes(snapshot, target):
    """What changed since the merge in what `move_attached` moved (sentences)."""
    moved = snapshot.get("attached", {}).get("milestones", [])
    still_there = Milestone.objects.filter(pk__in=moved, topic_id=snapshot["target"]).count()
    gone = len(moved) - still_there
    if not gone:
        return []
    return [
        f"{gone} of the {len(moved)} timeline milestones that came with “{snapshot['name']}” "
        "are no longer on the topic it was merged into (deleted or moved since); undoing leaves "
        "them where they are."
    ]


# -- Merge -----------------------------------------------------------------------------------


def locked(*topics):
    """The topics again, locked for this transaction, in a fixed order (no deadlocks)."""
    pks = sorted(topic.pk for topic in topics)
    found = {topic.pk: topic for topic in Topic.objects.select_for_update().filter(pk__in=pks)}
    return [found.get(topic.pk) for topic in topics]


def delete_links(queryset):
    """Delete links without the per-link signals: the caller recounts, reindexes and notes
    the cache once for all of them (a large topic has thousands)."""
    queryset._raw_delete(queryset.db)


def snapshot_of(source, target):
    """The source topic as it is, enough to put it back: see TopicMerge.source."""
    articles = list(
        Article.objects.filter(tagged_items__tag=source)
        .order_by("pk")
        .values_list("pk", "headline")
    )
    ids = [pk for pk, _headline in articles]
    return {
        "pk": source.pk,
        "name": source.name,
        "slug": source.slug,
        "kind": source.kind,
        "description": source.description,
        "target": target.pk,
        "parties": list(source.parties.order_by("pk").values_list("pk", "name")),
        "relationships": list(source.relationships.order_by("pk").values_list("pk", "name")),
        "aliases": list(source.aliases.order_by("pk").values("pk", "name")),
        "old_addresses": list(source.redirects.order_by("pk").values("pk", "old_slug")),
        "articles": articles,
        "articles_with_target": sorted(
            TaggedArticle.objects.filter(tag=target, content_object_id__in=ids).values_list(
                "content_object_id", flat=True
            )
        ),
        "primary_topic_of": sorted(
            Article.objects.filter(kicker_topic=source).values_list("pk", flat=True)
        ),
        "target_parties_added": sorted(
            set(source.parties.values_list("pk", flat=True))
            - set(target.parties.values_list("pk", flat=True))
            - {target.pk}
        ),
        "target_relationships_added": sorted(
            set(source.relationships.values_list("pk", flat=True))
            - set(target.relationships.values_list("pk", flat=True))
            - {target.pk}
        ),
        "merges_into": sorted(source.merges_into.values_list("pk", flat=True)),
    }


def merge_topics(source, target, user):
    """Merge `source` into `target` in one transaction; return the audit record.

    Every article of the source carries the target instead (once), the source's name and
    aliases find the target, its addresses answer 301 with the target's, and it is removed.
    """
    with transaction.atomic():
        source, target = locked(source, target)
        if source is None or target is None:
            raise MergeRefused("One of the topics was deleted meanwhile; nothing was changed.")
        refusal = merge_refusal(source, target)
        if refusal:
            raise MergeRefused(refusal)
        snapshot = snapshot_of(source, target)
        move_attached(source, target, snapshot)
        merge = TopicMerge.objects.create(
            source_name=source.name,
            source_slug=source.slug,
            source=snapshot,
            target=target,
            target_name=target.name,
            merged_by=user,
        )
        article_ids = [pk for pk, _headline in snapshot["articles"]]

        links = TaggedArticle.objects.filter(tag=source)
        delete_links(links.filter(content_object_id__in=snapshot["articles_with_target"]))
        links.update(tag=target)
        Article.objects.filter(kicker_topic=source).update(kicker_topic=target)
        target.parties.add(*snapshot["target_parties_added"])
        target.relationships.add(*snapshot["target_relationships_added"])
        source.aliases.update(topic=target)
        source.redirects.update(topic=target)
        connected = {pk for pk, _name in snapshot["parties"] + snapshot["relationships"]}
        source_pk = source.pk
        source.delete()

        key = topic_name_key(source.name)
        if name_refusal(source.name, key) is None:
            snapshot["name_alias"] = save_alias(TopicAlias(topic=target, name=source.name)).pk
        TopicRedirect.objects.update_or_create(
            old_slug=source.slug, defaults={"topic": target, "merge": merge}
        )
        merge.save(update_fields=["source"])

        comment = f"Merged topic “{source.name}” into “{target.name}” (merge {merge.pk})"
        articles_changed(article_ids, user, comment)
        shown = article_ids + snapshot["primary_topic_of"]
        topics_changed([source_pk, target.pk], shown, connected)
    return merge


def save_alias(alias):
    """Save (or delete) an alias without the signal's re-indexing of its topic's articles:
    `topics_changed` re-indexes them once, with every other article the merge touched."""
    alias.search_indexed_by_caller = True
    alias.save()
    return alias


def delete_alias(alias):
    alias.search_indexed_by_caller = True
    alias.delete()


def articles_changed(article_ids, user, comment):
    """Record a revision of each article whose topics changed, and let open forms know."""
    Article.objects.filter(pk__in=article_ids).update(lock_version=F("lock_version") + 1)
    with reversion.create_revision(atomic=False):
        # What a revision serialises (the article, its byline and what it follows), loaded once.
        followed = ["key_points", "sources", "tagged_items__tag", "authors"]
        for article in Article.objects.filter(pk__in=article_ids).prefetch_related(*followed):
            reversion.add_to_revision(article)
        reversion.set_user(user)
        reversion.set_comment(comment)


def topics_changed(topic_ids, article_ids, connected_ids=()):
    """Counts, search index and page cache after links moved in bulk between `topic_ids`;
    the topics `connected_ids` (their parties and relationships) only show them."""
    alive = Topic.objects.filter(pk__in=topic_ids)
    alive.recount_published()
    TopicMonthCount.objects.recount(topic_ids=list(alive.values_list("pk", flat=True)))
    index_articles_in_bulk(
        set(article_ids)
        | set(
            TaggedArticle.objects.filter(tag__in=alive).values_list("content_object_id", flat=True)
        )
    )
    note_change(
        {cache_keys.TOPICS, cache_keys.TOPIC_COUNTS, cache_keys.ARTICLE_LASTMOD}
        | {cache_keys.topic_key(pk) for pk in [*topic_ids, *connected_ids]}
        | {cache_keys.topic_articles_key(pk) for pk in topic_ids}
        | {cache_keys.article_key(pk) for pk in article_ids}
    )


# -- Undo ------------------------------------------------------------------------------------


def changes_since(merge):
    """What changed since `merge` that an undo could not put back as it was (sentences)."""
    snapshot = merge.source
    changes = []
    target = Topic.objects.filter(pk=snapshot["target"]).first()
    target_name = f"“{target.name}”" if target else f"“{merge.target_name}”"
    if target is None:
        changes.append(f"The topic {target_name} it was merged into has been deleted.")

    headlines = dict(snapshot["articles"])
    existing = set(Article.objects.filter(pk__in=headlines).values_list("pk", flat=True))
    for pk in sorted(set(headlines) - existing):
        changes.append(f"The article “{headlines[pk]}” (#{pk}) has been deleted.")
    if target is not None:
        still_tagged = set(
            TaggedArticle.objects.filter(tag=target, content_object_id__in=existing).values_list(
                "content_object_id", flat=True
            )
        )
        for pk in sorted(existing - still_tagged):
            changes.append(
                f"The article “{headlines[pk]}” (#{pk}) no longer carries {target_name}."
            )

    alias_pks = [alias["pk"] for alias in snapshot["aliases"]]
    name_alias_pk = snapshot.get("name_alias")
    current = {
        alias.pk: alias
        for alias in TopicAlias.objects.filter(pk__in=alias_pks).select_related("topic")
    }
    for alias in snapshot["aliases"]:
        now = current.get(alias["pk"])
        if now is None:
            changes.append(f"The alias “{alias['name']}” has been removed.")
        elif now.name != alias["name"]:
            changes.append(f"The alias “{alias['name']}” has been renamed “{now.name}”.")
        elif now.topic_id != snapshot["target"]:
            changes.append(f"The alias “{alias['name']}” now belongs to “{now.topic.name}”.")
    name, slug = snapshot["name"], snapshot["slug"]
    name_alias = TopicAlias.objects.filter(pk=name_alias_pk).first() if name_alias_pk else None
    if name_alias_pk and name_alias is None:
        changes.append(f"The alias “{name}” (the merged topic's name) has been removed.")
    elif name_alias is not None and name_alias.name != name:
        changes.append(f"The alias “{name}” has been renamed “{name_alias.name}”.")

    key = topic_name_key(name)
    for topic in Topic.objects.filter(name_key=key):
        changes.append(f"The topic “{topic.name}” now has the name “{name}”.")
    for alias in TopicAlias.objects.filter(name_key=key).exclude(pk=name_alias_pk or 0):
        changes.append(f"“{alias.name}” is now an alias of “{alias.topic.name}”.")
    for topic in Topic.objects.filter(slug=slug):
        changes.append(f"The topic “{topic.name}” now has the address /topics/{slug}/.")

    connected = snapshot["parties"] + snapshot["relationships"]
    alive = set(
        Topic.objects.filter(pk__in=[pk for pk, _ in connected]).values_list("pk", flat=True)
    )
    for pk, topic_name in connected:
        if pk not in alive:
            changes.append(f"The related topic “{topic_name}” has been deleted.")
    changes += attached_changes(snapshot, target)
    return changes


def restored_name(name):
    """`name`, or “name (restored)”, “name (restored 2)”… if another topic has it now."""
    candidate, number = name, 1
    while name_refusal(candidate, topic_name_key(candidate)):
        candidate = f"{name} (restored{'' if number == 1 else f' {number}'})"
        number += 1
    return candidate


def undo_merge(merge, user, force=False):
    """Put the merged topic back as it was; return it.

    Raises UndoConflict (listing what changed since) unless `force`, and UndoRefused if the
    merge was undone already. With `force`, what can be put back is: a taken name or address
    gets a free one, deleted articles and topics stay deleted.
    """
    with transaction.atomic():
        merge = TopicMerge.objects.select_for_update().get(pk=merge.pk)
        if merge.is_undone:
            raise UndoRefused(
                f"Merge {merge.pk} was undone already, on "
                f"{timezone.localtime(merge.undone_at):%-d %B %Y at %H:%M}."
            )
        changes = changes_since(merge)
        if changes and not force:
            raise UndoConflict(changes)
        snapshot = merge.source
        (target,) = locked(Topic(pk=snapshot["target"]))

        name_alias_pk = snapshot.get("name_alias")
        for name_alias in TopicAlias.objects.filter(pk=name_alias_pk or 0):
            delete_alias(name_alias)
        TopicRedirect.objects.filter(old_slug=snapshot["slug"]).delete()
        name = restored_name(snapshot["name"])
        slug_taken = Topic.objects.filter(slug=snapshot["slug"]).exists()
        source = Topic(
            pk=snapshot["pk"],
            name=name,
            slug="" if slug_taken else snapshot["slug"],
            kind=snapshot["kind"],
            description=snapshot["description"],
        )
        if slug_taken:
            source.slug = source.free_slug()
        source.save(force_insert=True)

        article_ids = list(
            Article.objects.filter(pk__in=[pk for pk, _ in snapshot["articles"]]).values_list(
                "pk", flat=True
            )
        )
        TaggedArticle.objects.bulk_create(
            TaggedArticle(content_object_id=pk, tag=source) for pk in article_ids
        )
        if target is not None:
            added = set(article_ids) - set(snapshot["articles_with_target"])
            delete_links(TaggedArticle.objects.filter(tag=target, content_object_id__in=added))
            Article.objects.filter(pk__in=snapshot["primary_topic_of"], kicker_topic=target).update(
                kicker_topic=source
            )
            target.parties.remove(*snapshot["target_parties_added"])
            target.relationships.remove(*snapshot["target_relationships_added"])
        existing_topics = set(
            Topic.objects.filter(
                pk__in=[pk for pk, _ in snapshot["parties"] + snapshot["relationships"]]
            ).values_list("pk", flat=True)
        )
        source.parties.set([pk for pk, _ in snapshot["parties"] if pk in existing_topics])
        source.relationships.set(
            [pk for pk, _ in snapshot["relationships"] if pk in existing_topics]
        )

        former_aliases = [alias["pk"] for alias in snapshot["aliases"]]
        kept = set(TopicAlias.objects.filter(pk__in=former_aliases).values_list("pk", flat=True))
        moved_back = TopicAlias.objects.filter(pk__in=kept, topic_id=snapshot["target"])
        moved_back.update(topic=source)
        for alias in snapshot["aliases"]:
            if alias["pk"] not in kept and not name_refusal(
                alias["name"], topic_name_key(alias["name"])
            ):
                save_alias(TopicAlias(topic=source, name=alias["name"]))
        TopicRedirect.objects.filter(
            pk__in=[address["pk"] for address in snapshot["old_addresses"]]
        ).update(topic=source)
        TopicMerge.objects.filter(pk__in=snapshot["merges_into"], target=None).update(target=source)
        restore_attached(snapshot, source, target)

        merge.undone_at, merge.undone_by = timezone.now(), user
        merge.save(update_fields=["undone_at", "undone_by"])
        comment = f"Undid merge {merge.pk}: “{source.name}” is a topic again"
        articles_changed(article_ids, user, comment)
        shown = article_ids + snapshot["primary_topic_of"]
        topics_changed([source.pk, snapshot["target"]], shown, existing_topics)
    return source
