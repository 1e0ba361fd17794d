"""An ImportedArticle becomes an article draft, or updates the draft it was imported as."""

import reversion
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from articles import workflow
from articles.models import Article, KeyPoint, Source
from importer import ImportRefused
from topics.models import Topic

Status = Article.Status


def save_draft(imported, author, auto_topics=False):
    """Create or update the draft in one transaction, as one revision: (article, created).

    A draft with the same slug is updated (its byline, extra sources and topics are kept); an
    article with that slug that is no longer a draft, or that `author` may not edit, is refused.
    Topics named in front matter, and with `auto_topics` the suggested ones, are assigned;
    no topic is ever created.
    """
    if not author.has_perm("articles.add_article"):
        raise ImportRefused(f"{author.get_username()} may not write articles.")
    try:
        return _save(imported, author, auto_topics)
    except IntegrityError:
        raise ImportRefused(
            f"Another article with the address “{imported.slug}” was saved at the same moment; "
            "nothing was imported. Try again."
        ) from None


def _save(imported, author, auto_topics):
    with transaction.atomic():
        article = Article.objects.select_for_update().filter(slug=imported.slug).first()
        created = article is None
        if article is not None:
            if article.status != Status.DRAFT:
                raise ImportRefused(
                    f"“{article.headline}” ({imported.slug}) is "
                    f"{article.visibility_label.lower()}, not a draft: it was not overwritten. "
                    "Change the headline or the slug to import it as a new article."
                )
            refusal = workflow.edit_refusal(author, article)
            if refusal:
                raise ImportRefused(f"“{article.headline}” ({imported.slug}): {refusal}")
        else:
            article = Article(slug=imported.slug, status=Status.DRAFT, created_by=author)
        article.headline = imported.headline
        article.standfirst = imported.standfirst
        article.body = imported.body
        article.updated_by = author
        if imported.published_at is not None:
            if workflow.can_publish(author):
                article.published_at = imported.published_at
            else:
                imported.notes.append("Publication time ignored: only editors set it.")
        with reversion.create_revision(atomic=False):
            article.save()
            _save_parts(article, imported, author, created, auto_topics)
            reversion.set_user(author)
            action = "Imported" if created else "Re-imported"
            source = f" from {imported.filename}" if imported.filename else ""
            review = " Standfirst drawn from the first paragraph: review it." * bool(
                imported.standfirst_needs_review
            )
            reversion.set_comment(f"{action}{source}.{review}")
    return article, created


def _save_parts(article, imported, author, created, auto_topics):
    article.key_points.all().delete()
    for position, text in enumerate(imported.key_points, start=1):
        KeyPoint.objects.create(article=article, text=text, position=position)

    known = {source.casefold() for source in article.sources.values_list("publication", flat=True)}
    position = len(known)
    for source in imported.suggested_sources:
        if source["publication"].casefold() in known:
            continue
        position += 1
        Source.objects.create(article=article, position=position, **source)

    if created:
        users = get_user_model().objects.filter(username__in=imported.author_usernames)
        byline = {user.get_username(): user for user in users}
        missing = [name for name in imported.author_usernames if name not in byline]
        if missing:
            imported.notes.append(f"Unknown authors left out of the byline: {', '.join(missing)}.")
        article.authors.set(
            [byline[name] for name in imported.author_usernames if name in byline] or [author]
        )

    topics, missing = [], []
    for name in imported.topic_names:
        try:
            topics.append(Topic.objects.named(name))
        except Topic.DoesNotExist:
            missing.append(name)
    if missing:
        imported.notes.append(
            f"Topics that do not exist were not assigned (an editor can create them): "
            f"{', '.join(missing)}."
        )
    if auto_topics:
        topics += imported.suggested_topics
    if topics:
        article.topics.add(*topics)
