"""The topics index: public topics grouped by kind, each with its count, the first sentence of
its description and its latest headline; split by initial letter (and pages of a letter) so a
page stays small and its queries few however many topics there are."""

import math
from functools import reduce
from operator import or_

from anyascii import anyascii
from django.db.models import Count, Q
from django.db.models.functions import Substr

from topics.models import Topic, TopicKind

TOPICS_PER_PAGE = 100
LETTERS = "abcdefghijklmnopqrstuvwxyz"
OTHER = "other"  # names beginning with a digit, or a letter with no A–Z transliteration


def letter_of(initial):
    """The jump-list letter of a name's first character: “É” is under E, “Д” under D."""
    folded = anyascii(initial or "")[:1].lower()
    return folded if folded in LETTERS else OTHER


def grouped_by_kind(topics):
    """[(kind label, [topics...]), ...] in the order of TopicKind, keeping the topics' order."""
    groups = {kind: [] for kind in TopicKind.values}
    for topic in topics:
        groups.setdefault(topic.kind, []).append(topic)
    return [(TopicKind(kind).label, members) for kind, members in groups.items() if members]


def topic_index(letter="", page=1):
    """What one page of the index shows, or None if that letter or page has no topics.

    Without a letter: every topic when there are at most TOPICS_PER_PAGE, else the most covered
    ones. With a letter: its topics A–Z, TOPICS_PER_PAGE a page. Four queries whatever the size:
    scheduled counts, topics per initial, the page of topics, their latest articles.
    """
    from articles.models import Article

    topics = Topic.objects.with_published_articles()
    per_initial = dict(
        # The name's own initial: the folded key maps look-alikes ("m" → "rn", "1" → "l").
        topics.annotate(initial=Substr("name", 1, 1))
        .order_by()
        .values_list("initial")
        .annotate(count=Count("pk"))
    )
    initials_of = {}
    for initial, count in per_initial.items():
        initials_of.setdefault(letter_of(initial), {})[initial] = count
    total = sum(per_initial.values())
    annotated = topics.with_latest_article_id()
    if letter:
        initials = initials_of.get(letter)
        if not initials:
            return None
        count = sum(initials.values())
        pages = math.ceil(count / TOPICS_PER_PAGE)
        if page > pages:
            return None
        chosen = annotated.filter(reduce(or_, (Q(name__startswith=i) for i in initials)))
        offset = (page - 1) * TOPICS_PER_PAGE
        rows = chosen.order_by("name", "pk")[offset : offset + TOPICS_PER_PAGE]
    else:
        if page != 1:
            return None
        pages = 1
        rows = annotated.order_by("name", "pk")
        if total > TOPICS_PER_PAGE:
            rows = annotated.order_by("-published_count", "name", "pk")[:TOPICS_PER_PAGE]
    shown = list(rows) if total else []
    if not letter:
        shown.sort(key=lambda topic: (topic.name.casefold(), topic.pk))
    latest = (
        Article.objects.published()
        .filter(pk__in=[topic.latest_article_id for topic in shown if topic.latest_article_id])
        .only("pk", "headline", "slug", "published_at")
        .in_bulk()
    )
    for topic in shown:
        topic.latest_article = latest.get(topic.latest_article_id)
    return {
        "groups": grouped_by_kind(shown),
        "letters": [
            (code, code.upper() if code != OTHER else "#", sum(initials_of.get(code, {}).values()))
            for code in [*LETTERS, OTHER]
        ],
        "letter": letter,
        "page": page,
        "pages": pages,
        "total": total,
        "shown": len(shown),
    }
