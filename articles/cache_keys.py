"""The names of what a page shows, for exact cache invalidation and the `Surrogate-Key` header.

Pages name the keys of what they show (the functions below); changes name the keys they touch
(`articles/signals.py`). A cached page is stale exactly when a change after it was built names one
of its keys. The same strings go to a CDN in `Surrogate-Key`, so purges and pages agree.
"""

from django.db.models import Q

# The set or order of public articles changed (home, feeds, sitemaps): a publication, withdrawal,
# deletion or a new publication time.
PUBLIC_ARTICLES = "articles"
# Any public article changed at all (the sitemap shows every article's last-modified time).
ARTICLE_LASTMOD = "articles-lastmod"
# Any topic's name, slug, kind or description, or the set of topics (the topics index).
TOPICS = "topics"
# Any topic's count of public articles (most covered topics, the topics index, the sitemap).
TOPIC_COUNTS = "topic-counts"
# Which articles are scheduled, and when; which stories are pinned, and until when.
SCHEDULE = "schedule"
# Any topic's aliases (the names the article form's suggestions and search look for).
TOPIC_ALIASES = "topic-aliases"


def article_key(pk):
    """An article's own copy: headline, standfirst, body, key points, sources, topics, byline."""
    return f"article-{pk}"


def topic_key(pk):
    """A topic's name, slug, kind, description and relationships."""
    return f"topic-{pk}"


def topic_articles_key(pk):
    """Which public articles carry the topic, in what order, and what else they are tagged with."""
    return f"topic-articles-{pk}"


def person_key(pk):
    """A person's name, profile and photo, as bylines and their author page show them."""
    return f"person-{pk}"


def person_articles_key(pk):
    """Which public articles carry a person's byline (their author page and feed)."""
    return f"person-articles-{pk}"


def card_keys(articles):
    """A list of article cards: each article, and the topics and people shown on them."""
    keys = set()
    for article in articles:
        keys.add(article_key(article.pk))
        keys.update(topic_key(topic.pk) for topic in article.topics.all())
        keys.update(person_key(author.pk) for author in article.authors.all())
        if article.kicker_topic_id:
            keys.add(topic_key(article.kicker_topic_id))
    return keys


def image_keys(image):
    """What shows a library image: the articles that use it and the people it portrays."""
    from articles.models import Article
    from people.models import Profile

    articles = Article.objects.filter(Q(lead_image=image) | Q(figure_links__image=image))
    people = Profile.objects.filter(photo=image).values_list("user_id", flat=True)
    return {article_key(pk) for pk in articles.values_list("pk", flat=True).distinct()} | {
        person_key(pk) for pk in people
    }


def author_keys(profile):
    """An author page or feed: the person, and which articles they signed."""
    user_id = profile.user_id
    return {person_key(user_id), person_articles_key(user_id)}


def author_page_keys(profile, articles):
    """An author page of cached cards: the person, which articles they signed, and those
    articles (each card adds what it shows, `listed_keys`)."""
    return author_keys(profile) | listed_keys(articles)


def author_feed_keys(profile, articles):
    """An author's feed: the person, and each entry with its topics and byline."""
    return author_keys(profile) | card_keys(articles)


def byline_keys(articles):
    return {person_key(author.pk) for article in articles for author in article.authors.all()}


def topic_name_keys(topics):
    return {topic_key(topic.pk) for topic in topics}


def listed_keys(articles):
    """A list of articles shown as cached cards (`{% cached_card %}`): the articles themselves.
    Each card adds what it shows (`card_keys`) to the page's keys when it is read or built."""
    return {article_key(article.pk) for article in articles}


def home_keys(articles):
    return {PUBLIC_ARTICLES} | listed_keys(articles)


def most_covered_topics_keys(topics):
    return {TOPIC_COUNTS} | topic_name_keys(topics)


def topic_index_keys(index):
    """The topics index: names and counts, and each topic's latest headline (a publication or
    withdrawal changes the counts, so it names TOPIC_COUNTS; a new headline names the article)."""
    latest = [topic.latest_article for _kind, topics in index["groups"] for topic in topics]
    return {TOPICS, TOPIC_COUNTS} | {article_key(article.pk) for article in latest if article}


def article_page_keys(article, related):
    """The article, its topics and byline, its related coverage and what could enter it."""
    topics = list(article.topics.all())
    return (
        {article_key(article.pk)}
        | topic_name_keys(topics)
        | {topic_articles_key(topic.pk) for topic in topics}
        | byline_keys([article])
        | {article_key(other.pk) for other in related}
    )


def topic_list_keys(topics, articles):
    """A page of cards of articles carrying all of `topics` (a topic page, a combined page)."""
    return (
        topic_name_keys(topics)
        | {topic_articles_key(topic.pk) for topic in topics}
        | listed_keys(articles)
    )


def topic_context_keys(topic, context):
    """What a topic's first page shows besides its list: the newest article's key points,
    related topics, relationships, and the timeline with the public articles it links (an
    article that becomes public, or stops being, names its milestones' topics instead:
    topics/signals.py)."""
    shown = [*context["related_topics"], *context["parties"], *context["relationships"]]
    linked = {m.article_id for m in context["milestones"] if m.public_article is not None}
    return (
        {topic_key(topic.pk), topic_articles_key(topic.pk)}
        | topic_name_keys(shown)
        | {article_key(pk) for pk in linked}
        | ({article_key(context["latest"]["pk"])} if context["latest"] else set())
    )


def feed_keys(articles, topic=None):
    keys = card_keys(articles) | byline_keys(articles)
    if topic is None:
        return keys | {PUBLIC_ARTICLES}
    return keys | {topic_key(topic.pk), topic_articles_key(topic.pk)}


def sitemap_keys():
    return {PUBLIC_ARTICLES, ARTICLE_LASTMOD, TOPICS, TOPIC_COUNTS}


def news_sitemap_keys(articles):
    return {PUBLIC_ARTICLES} | {article_key(article.pk) for article in articles}
