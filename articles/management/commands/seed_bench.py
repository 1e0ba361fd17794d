"""`manage.py seed_bench`: a deterministic synthetic archive for the benchmark (`make bench`)."""

import bisect
import itertools
import random
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction

from articles.markdown import render_markdown
from articles.models import Article, KeyPoint, Source, Status, TaggedArticle, TopicMonthCount
from articles.search import FTS_TABLE, index_articles_in_bulk
from coverage_site.page_cache import invalidate_everything
from topics.models import Topic, TopicKind, ascii_slug, normalise_topic_name, topic_name_key

PREFIX = "bench-"
BATCH = 1000
DRAFT_SHARE = 0.05
SCHEDULED_SHARE = 0.02
DAY = 86400
ARCHIVE_SECONDS = 4 * 365 * DAY
UPDATED_SHARE = 0.1
PUBLIC, DRAFT, SCHEDULED = "public", "draft", "scheduled"
ZIPF_EXPONENT = 1.0
POOL_SIZE = 400

COUNTRIES = [
    "India", "Russia", "China", "United States", "Pakistan", "Iran", "Turkey", "Japan",
    "France", "Germany", "United Kingdom", "Ukraine", "Israel", "Saudi Arabia", "Brazil",
    "South Africa", "Indonesia", "Australia", "Vietnam", "Egypt", "Kazakhstan", "Bangladesh",
    "Sri Lanka", "Nepal", "Afghanistan", "Qatar", "United Arab Emirates", "Poland", "Italy",
    "Canada", "Mexico", "Nigeria", "Ethiopia", "Philippines", "South Korea", "North Korea",
    "Taiwan", "Myanmar", "Malaysia", "Singapore", "Thailand", "Argentina", "Chile", "Norway",
    "Sweden", "Finland", "Greece", "Armenia", "Azerbaijan", "Georgia",
]  # fmt: skip
SYSTEMS = [
    "S-400", "Su-57", "Rafale", "BrahMos", "HIMARS", "Patriot", "THAAD", "Iron Dome", "F-35",
    "J-20", "Kinzhal", "Zircon", "Agni-V", "Tejas", "Kalibr", "Bayraktar TB2", "Shahed-136",
    "MQ-9B", "Scorpène", "INS Vikrant", "T-90", "Pinaka", "Akash", "Barak-8", "Arjun",
]  # fmt: skip
DOCTRINES = [
    "Strategic Autonomy", "Neighbourhood First", "Act East", "Multi-alignment",
    "Aatmanirbhar Bharat", "Belt and Road", "Indo-Pacific Strategy", "No First Use",
    "Cold Start", "Escalate to De-escalate", "Dual Circulation", "Panchsheel",
]  # fmt: skip
ORGANISATIONS = [
    "BRICS", "Shanghai Cooperation Organisation", "Quad", "NATO", "ASEAN", "G20", "OPEC+",
    "European Union", "United Nations Security Council", "SAARC", "IAEA", "AUKUS",
    "Eurasian Economic Union", "African Union", "World Trade Organization", "IMF",
]  # fmt: skip
THEMES = [
    "Sanctions", "Energy Security", "Oil Trade", "Rupee–Rouble Payments", "Arms Exports",
    "Nuclear Energy", "Small Modular Reactors", "Shipping Lanes", "Critical Minerals",
    "Semiconductors", "Fertiliser Supplies", "Defence Procurement", "Space Cooperation",
    "Cyber Security", "Climate Diplomacy", "Migration", "Food Security", "Maritime Security",
    "Border Disputes", "Debt Diplomacy", "Currency Swaps", "Export Controls", "Arctic Routes",
    "Undersea Cables", "Pharmaceutical Trade", "Water Sharing", "Grain Exports", "LNG",
    "International North-South Transport Corridor", "Chabahar Port",
]  # fmt: skip
REGIONS = [
    "Indian Ocean", "Arctic", "Caspian", "Black Sea", "Red Sea", "South China Sea", "Himalayan",
    "Central Asian", "Gulf", "Baltic", "Sahel", "Pacific Islands", "Bay of Bengal",
]  # fmt: skip
EVENTS = ["Summit", "Ministerial"]
YEARS = range(2018, 2027)
HOT_TOPICS = ["India", "Russia", "India–Russia", "China", "United States", "S-400", "Sanctions"]
AUTHORS = [
    ("Anika", "Rao"), ("Marcus", "Hale"), ("Leila", "Haddad"), ("Tomas", "Novak"),
    ("Priya", "Shah"), ("Dmitri", "Volkov"), ("Chen", "Wei"), ("Amara", "Okafor"),
]  # fmt: skip

SUBJECTS = [
    "Delhi", "Moscow", "Washington", "Beijing", "The defence ministry", "The finance ministry",
    "Officials in both capitals", "Negotiators", "The central bank", "Diplomats", "Analysts",
    "The foreign minister", "Industry lobbies", "Shipping firms", "Refiners", "The air force",
    "Parliament's defence committee", "European capitals", "Gulf investors", "The navy",
]  # fmt: skip
VERBS = [
    "weighed", "continued to resist", "is expected to revisit", "quietly endorsed",
    "grew wary of", "doubled down on", "publicly questioned", "kept negotiating over",
    "could not afford to ignore", "began to price in", "kept returning to", "played down",
]  # fmt: skip
OBJECTS = [
    "the cost of sanctions on payments in roubles",
    "a long-delayed order for air-defence batteries",
    "the terms of a new oil supply contract", "the insurance of tankers crossing the Gulf",
    "joint production of spare parts for ageing fleets",
    "a framework for settling trade in local currencies",
    "the pace of deliveries promised at the last summit", "a plan for small modular reactors",
    "the corridor through Iran and the Caspian", "licences for dual-use technology",
    "pressure from Washington over secondary sanctions",
    "fertiliser supplies for the kharif season",
    "a proposal to co-develop a fifth-generation fighter", "the widening trade deficit with Moscow",
    "port access in the Indian Ocean", "the price cap on seaborne crude",
]  # fmt: skip
TAILS = [
    "before the next summit.", "despite objections from Washington.", "for the third year running.",
    "as the rupee weakens against the dollar.", "while sanctions tighten.",
    "without saying so in public.", "in the face of rising freight costs.",
    "ahead of elections at home.", "this quarter.", "as the winter fuel season approaches.",
    "under pressure from its own industry.", "according to people familiar with the talks.",
    "even as deliveries slip.",
]  # fmt: skip
HEADINGS = [
    "What changed", "The money", "Why it matters", "What comes next", "The view from Delhi",
    "The view from Moscow", "The American angle", "Deliveries and delays", "Payments",
    "The numbers", "Who gains", "Risks", "Background", "The fine print", "Reactions",
]  # fmt: skip
HEADLINES = [
    "{a} and {b}: {what}", "Why {a} {verb} {b}", "Inside {a}'s bet on {b}", "{a} after {b}",
    "What {a} means for {b}", "The {a} question in {b}", "{a}, {b} and the limits of leverage",
]  # fmt: skip
HEADLINE_WHAT = [
    "a partnership under strain", "the deal that keeps slipping", "old habits, new money",
    "a quiet recalibration", "the cost of staying neutral", "what the summit settled",
]  # fmt: skip
HEADLINE_VERBS = ["keeps betting on", "is rethinking", "still needs", "cannot quit", "courts"]
PUBLICATIONS = [
    "Ministry of External Affairs", "Press Information Bureau", "Central Bank Bulletin",
    "Defence Acquisition Council", "Kremlin readout", "Congressional Research Service",
    "Trade statistics office", "Parliamentary committee report",
]  # fmt: skip


def topic_candidates(rng):
    """Every (name, kind) the command can make, the hot topics first, the rest shuffled."""
    pairs = itertools.combinations(COUNTRIES[:26], 2)
    events = [
        f"{org} {event} {year}" for org in ORGANISATIONS for event in EVENTS for year in YEARS
    ]
    kinds = {
        TopicKind.COUNTRY: COUNTRIES,
        TopicKind.RELATIONSHIP: [f"{a}–{b}" for a, b in pairs],
        TopicKind.DEFENCE_SYSTEM: SYSTEMS,
        TopicKind.DOCTRINE: DOCTRINES,
        TopicKind.ORGANISATION: ORGANISATIONS,
        TopicKind.EVENT: events,
        TopicKind.THEME: THEMES + [f"{region} {theme}" for region in REGIONS for theme in THEMES],
    }
    kind_of = {name: kind for kind, names in kinds.items() for name in names}
    rest = [name for name in kind_of if name not in HOT_TOPICS]
    rng.shuffle(rest)
    for name in itertools.chain(HOT_TOPICS, rest):
        yield name, kind_of[name]
    for number in itertools.count(1):
        yield f"Bench theme {number}", TopicKind.THEME


class Copywriter:
    """Synthetic copy from a fixed vocabulary; each Markdown block is rendered once, up front."""

    def __init__(self, rng):
        self.rng = rng
        self.headings = [self.block(f"## {heading}") for heading in HEADINGS]
        self.paragraphs = [self.block(self.paragraph()) for _ in range(POOL_SIZE)]
        self.lists = [self.block(self.bullets()) for _ in range(POOL_SIZE // 10)]
        self.quotes = [self.block(self.quotation()) for _ in range(POOL_SIZE // 10)]
        self.key_points = [self.sentence() for _ in range(POOL_SIZE)]

    @staticmethod
    def block(markdown):
        return markdown, render_markdown(markdown)

    def sentence(self):
        choice = self.rng.choice
        return f"{choice(SUBJECTS)} {choice(VERBS)} {choice(OBJECTS)} {choice(TAILS)}"

    def paragraph(self):
        return " ".join(self.sentence() for _ in range(self.rng.randint(4, 5)))

    def bullets(self):
        items = self.rng.sample(OBJECTS, self.rng.randint(3, 5))
        return "\n".join(f"- {item[0].upper()}{item[1:]}." for item in items)

    def quotation(self):
        return f"> “{self.sentence()}” said a senior official, who asked not to be named."

    def body(self):
        """About 800 words in four sections with a list and a quotation: (Markdown, HTML)."""
        rng = self.rng
        blocks = []
        list_at, quote_at = rng.sample(range(4), 2)
        for section, heading in enumerate(rng.sample(self.headings, 4)):
            blocks.append(heading)
            blocks.extend(rng.choices(self.paragraphs, k=rng.randint(2, 3)))
            if section == list_at:
                blocks.append(rng.choice(self.lists))
            if section == quote_at:
                blocks.append(rng.choice(self.quotes))
        return "\n\n".join(md for md, _ in blocks), "".join(html for _, html in blocks)

    def headline(self, a, b):
        rng = self.rng
        template = rng.choice(HEADLINES)
        return template.format(
            a=a, b=b, what=rng.choice(HEADLINE_WHAT), verb=rng.choice(HEADLINE_VERBS)
        )


@dataclass
class Plan:
    article: Article
    topics: list
    key_points: list
    authors: list
    sources: list


class Planner:
    """Decides each article's copy, topics (Zipf-weighted), byline and times."""

    def __init__(self, rng, topics, authors, anchor, public):
        self.rng, self.topics, self.authors, self.anchor = rng, topics, authors, anchor
        self.writer = Copywriter(rng)
        weights = (1 / rank**ZIPF_EXPONENT for rank in range(1, len(topics) + 1))
        self.cumulative = list(itertools.accumulate(weights))
        # Popped oldest first, so ids grow with publication time, as in a real archive.
        self.public_times = sorted(
            (anchor - timedelta(seconds=rng.randrange(ARCHIVE_SECONDS)) for _ in range(public)),
            reverse=True,
        )

    def pick_topics(self):
        wanted, chosen = min(self.rng.randint(3, 6), len(self.topics)), {}
        while len(chosen) < wanted:
            index = bisect.bisect(self.cumulative, self.rng.random() * self.cumulative[-1])
            chosen.setdefault(min(index, len(self.topics) - 1))
        return [self.topics[index] for index in chosen]

    def plan(self, number, status):
        rng, writer = self.rng, self.writer
        topics = self.pick_topics()
        authors = rng.sample(self.authors, rng.choice((1, 1, 1, 2)))
        headline = writer.headline(topics[0].name, topics[-1].name)
        body, body_html = writer.body()
        created_at = self.anchor - timedelta(seconds=rng.randrange(30 * DAY))
        updated_at, published_at = created_at, None
        if status == PUBLIC:
            published_at = updated_at = self.public_times.pop()
            created_at = published_at - timedelta(minutes=rng.randint(30, 600))
            if rng.random() < UPDATED_SHARE:
                updated_at += timedelta(hours=rng.randint(2, 72))
        elif status == SCHEDULED:
            published_at = self.anchor + timedelta(days=1, seconds=rng.randrange(30 * DAY))
        article = Article(
            headline=headline,
            slug=f"{PREFIX}{number:06d}-{ascii_slug(headline, 80)}",
            standfirst=f"{writer.sentence()} {writer.sentence()}",
            body=body,
            body_html=body_html,
            status=Status.DRAFT if status == DRAFT else Status.PUBLISHED,
            published_at=published_at,
            created_at=created_at,
            updated_at=updated_at,
            created_by=authors[0],
        )
        return Plan(
            article=article,
            topics=topics,
            key_points=rng.sample(writer.key_points, 3),
            authors=authors,
            sources=[
                (rng.choice(PUBLICATIONS), writer.sentence()) for _ in range(rng.randint(1, 3))
            ],
        )


def delete_rows(queryset):
    """Delete the queryset's rows in one statement: no per-row signals, no cascade."""
    select, params = queryset.values("pk").query.sql_with_params()
    meta, quote = queryset.model._meta, connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} IN ({select})",
            params,
        )
        return cursor.rowcount


def delete_with_dependants(queryset):
    """Delete rows and every row that cascades from them (one level deep, as the schema is)."""
    for relation in queryset.model._meta.get_fields(include_hidden=True):
        reverse_fk = relation.auto_created and not relation.concrete and relation.one_to_many
        if reverse_fk and relation.on_delete is models.CASCADE:
            related = relation.related_model._base_manager
            delete_rows(related.filter(**{f"{relation.field.name}__in": queryset.values("pk")}))
    return delete_rows(queryset)


@contextmanager
def timestamps_as_given(model):
    """Let bulk_create keep the created/updated times we set instead of stamping them now."""
    fields = [
        field
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    saved = [(f.auto_now, f.auto_now_add) for f in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, (auto_now, auto_now_add) in zip(fields, saved, strict=True):
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


class Command(BaseCommand):
    help = (
        "Fill the database with a deterministic synthetic archive for benchmarking: articles "
        f"and topics whose slugs start with “{PREFIX}”. Replaces an earlier run's content; "
        "refuses a database with other content unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=10_000, help="how many articles")
        parser.add_argument("--topics", type=int, default=300, help="how many topics")
        parser.add_argument("--seed", type=int, default=1, help="the same seed, the same data")
        parser.add_argument(
            "--force", action="store_true", help="seed even where there is non-bench content"
        )

    def handle(self, *args, articles, topics, seed, force, **options):
        if articles < 1 or topics < 1:
            raise CommandError("--articles and --topics must be at least 1.")
        started = time.monotonic()
        rng = random.Random(seed)
        anchor = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        with transaction.atomic():
            self.check_database(force)
            self.delete_earlier_run()
            topic_rows = self.create_topics(topics, rng)
            authors = self.bench_authors()
            counts = self.create_articles(articles, topic_rows, authors, rng, anchor)
            # bulk_create sends no signals: count the topics' articles, and drop cached pages.
            Topic.objects.recount_published()
            TopicMonthCount.objects.recount()
            invalidate_everything()
        self.stdout.write(
            f"Seeded {articles} articles ({counts[PUBLIC]} public, {counts[DRAFT]} drafts, "
            f"{counts[SCHEDULED]} scheduled), "
            f"{topics} topics in {time.monotonic() - started:.1f} s"
        )

    def check_database(self, force):
        other_articles = Article.objects.exclude(slug__startswith=PREFIX).count()
        other_topics = Topic.objects.exclude(slug__startswith=PREFIX).count()
        if (other_articles or other_topics) and not force:
            raise CommandError(
                f"This database holds {other_articles} articles and {other_topics} topics that "
                "seed_bench did not make; refusing to mix synthetic content into it "
                "(use a separate DATABASE_URL, or --force)."
            )

    def delete_earlier_run(self):
        articles = Article.objects.filter(slug__startswith=PREFIX)
        if connection.vendor == "sqlite":
            select, params = articles.values("pk").query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({select})", params)
        deleted = delete_with_dependants(articles)
        deleted_topics = delete_with_dependants(Topic.objects.filter(slug__startswith=PREFIX))
        if deleted or deleted_topics:
            self.stdout.write(
                f"Removed {deleted} articles and {deleted_topics} topics of an earlier run."
            )

    def create_topics(self, count, rng):
        topics, keys, slugs = [], set(), set()
        for name, kind in topic_candidates(rng):
            if len(topics) == count:
                break
            name = normalise_topic_name(name)
            key, slug = topic_name_key(name), PREFIX + ascii_slug(name, 90)
            if key in keys or slug in slugs:
                continue
            keys.add(key)
            slugs.add(slug)
            topics.append(
                Topic(
                    name=name,
                    name_key=key,
                    slug=slug,
                    kind=kind,
                    description=f"Synthetic benchmark coverage of {name}: "
                    f"{TopicKind(kind).label.lower()} news and analysis.",
                )
            )
        topics = Topic.objects.bulk_create(topics)
        by_name = {topic.name: topic for topic in topics}
        parties = Topic.parties.through
        parties.objects.bulk_create(
            parties(from_topic=topic, to_topic=by_name[party])
            for topic in topics
            if topic.kind == TopicKind.RELATIONSHIP
            for party in topic.name.split("–")
            if party in by_name
        )
        return topics

    def bench_authors(self):
        authors = []
        for first_name, last_name in AUTHORS:
            user, created = get_user_model().objects.get_or_create(
                username=f"{PREFIX}{first_name}.{last_name}".lower(),
                defaults={"first_name": first_name, "last_name": last_name},
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            authors.append(user)
        return authors

    def create_articles(self, count, topics, authors, rng, anchor):
        drafts, scheduled = round(count * DRAFT_SHARE), round(count * SCHEDULED_SHARE)
        statuses = [DRAFT] * drafts + [SCHEDULED] * scheduled
        statuses += [PUBLIC] * (count - len(statuses))
        rng.shuffle(statuses)
        planner = Planner(rng, topics, authors, anchor, public=statuses.count(PUBLIC))
        for start in range(0, count, BATCH):
            numbered = enumerate(statuses[start : start + BATCH], start + 1)
            self.insert([planner.plan(number, status) for number, status in numbered])
        return {status: statuses.count(status) for status in (PUBLIC, DRAFT, SCHEDULED)}

    def insert(self, plans):
        """Write a batch of planned articles and their parts, then index them for search."""
        with timestamps_as_given(Article):
            articles = Article.objects.bulk_create(plan.article for plan in plans)
        bylines = Article.authors.through
        KeyPoint.objects.bulk_create(
            KeyPoint(article=plan.article, text=text, position=position)
            for plan in plans
            for position, text in enumerate(plan.key_points, 1)
        )
        TaggedArticle.objects.bulk_create(
            TaggedArticle(content_object=plan.article, tag=topic)
            for plan in plans
            for topic in plan.topics
        )
        bylines.objects.bulk_create(
            bylines(article=plan.article, user=author) for plan in plans for author in plan.authors
        )
        Source.objects.bulk_create(
            Source(
                article=plan.article,
                publication=publication,
                title=title,
                url=f"https://example.org/reports/{plan.article.slug}/{position}",
                position=position,
            )
            for plan in plans
            for position, (publication, title) in enumerate(plan.sources, 1)
        )
        index_articles_in_bulk([article.pk for article in articles])
