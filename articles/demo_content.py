"""Demo content for `manage.py load_demo`: original copy on the 23rd India–Russia summit and
its themes."""

from datetime import date, timedelta
from pathlib import Path

AUTHORS = [
    {"username": "anika.rao", "first_name": "Anika", "last_name": "Rao"},
    {"username": "marcus.hale", "first_name": "Marcus", "last_name": "Hale"},
]

TOPICS = [
    {
        "name": "India–Russia",
        "kind": "relationship",
        "aliases": ["Indo-Russian relations"],
        "parties": ["India", "Russia"],
        "description": (
            "Coverage of the relationship between New Delhi and Moscow, from arms and oil to "
            "trade, payments and diplomacy. The two governments call it a “Special and Privileged "
            "Strategic Partnership”."
        ),
    },
    {
        "name": "S-400",
        "kind": "defence_system",
        "aliases": ["S400", "S-400 Triumf", "С-400"],  # the last with a Cyrillic С
        "description": (
            "Russia’s long-range surface-to-air missile system, which India has bought despite "
            "American objections. The Indian Air Force regards it as a cornerstone of its air "
            "defences."
        ),
    },
    {
        "name": "Strategic Autonomy",
        "kind": "doctrine",
        "description": (
            "India’s insistence on choosing its partners according to national interest rather "
            "than bloc loyalty. It shapes Delhi’s dealings with Russia, America and Europe alike."
        ),
    },
    {
        "name": "India",
        "kind": "country",
        "description": (
            "The world’s most populous country and a rising power that guards its freedom of "
            "manoeuvre between rival camps."
        ),
    },
    {
        "name": "Russia",
        "kind": "country",
        "description": (
            "A sanctioned and largely Europe-shunned power that has turned to Asia for markets, "
            "partners and diplomatic cover since its invasion of Ukraine."
        ),
    },
    {
        "name": "United States",
        "kind": "country",
        "description": (
            "India’s most important Western partner, whose sanctions and tariffs shape the room "
            "Delhi has for doing business with Moscow."
        ),
    },
    {
        "name": "Su-57",
        "kind": "defence_system",
        "description": (
            "Russia’s fifth-generation stealth fighter, which Moscow is keen to sell to India. "
            "Delhi has so far kept it at arm’s length."
        ),
    },
    {
        "name": "International North-South Transport Corridor",
        "kind": "theme",
        "description": (
            "A planned multimodal trade route linking Indian ports with Russia through Iran and "
            "the Caspian region. Sanctions on Russia have given it new urgency."
        ),
    },
    {
        "name": "Small Modular Reactors",
        "kind": "theme",
        "description": (
            "Compact, factory-built nuclear reactors that promise cheaper, more flexible "
            "low-carbon power. They are a new strand of India–Russia civil nuclear cooperation."
        ),
    },
    {
        "name": "Rupee–Rouble Payments",
        "kind": "theme",
        "description": (
            "Arrangements for settling India–Russia trade in local currencies, outside financial "
            "channels controlled by Western governments."
        ),
    },
    {
        "name": "Aatmanirbhar Bharat",
        "kind": "doctrine",
        "description": (
            "India’s “self-reliant India” drive, which in defence means building more weapons at "
            "home and demanding technology transfer from foreign suppliers."
        ),
    },
    {
        "name": "23rd India–Russia Annual Summit",
        "kind": "event",
        "description": (
            "The December 2025 summit in New Delhi, Vladimir Putin’s first visit to India since "
            "the war in Ukraine began."
        ),
    },
]

# The articles' copy lives in articles/demo/*.md (front matter and Markdown) and is loaded
# through the importer, as any newsroom copy would be. Here only: when each one appears.
DEMO_COPY = Path(__file__).with_name("demo")

ARTICLES = [
    {"file": "instc-the-long-road-north-for-india-russia-trade.md", "age": timedelta(hours=3)},
    {
        "file": "rupee-rouble-payments-and-indias-trade-deficit-with-russia.md",
        "age": timedelta(hours=27),
    },
    {
        "file": "putin-in-delhi-an-old-partnership-tries-new-arithmetic.md",
        "age": timedelta(hours=52),
    },
    {"file": "why-india-wants-more-s-400-regiments.md", "age": timedelta(days=4)},
    {"file": "small-modular-reactors-india-russia-nuclear-cooperation.md", "status": "draft"},
    {
        "file": "the-su-57-question-will-india-buy-russias-stealth-fighter.md",
        "age": -timedelta(days=7),  # scheduled: appears a week after the demo is loaded
    },
]

# Timelines (topic: order and milestones), in our own words. A topic's demo timeline is added
# only while the topic has no milestone, so editors' changes survive another load_demo.
SUMMIT_ARTICLE = "putin-in-delhi-an-old-partnership-tries-new-arithmetic"
TIMELINES = {
    "S-400": {
        "order": "oldest_first",
        "milestones": [
            {
                "date": date(2018, 10, 5),
                "precision": "day",
                "title": "India signs for five S-400 squadrons",
                "sentence": "The contract, worth about $5.4bn, is concluded at the annual summit "
                "in New Delhi despite the risk of American sanctions.",
            },
            {
                "date": date(2021, 12, 1),
                "precision": "month",
                "title": "Deliveries begin",
                "sentence": "Equipment for the first squadron reaches India three years after "
                "the deal.",
            },
            {
                "date": date(2025, 12, 4),
                "precision": "day",
                "title": "More regiments on the summit agenda",
                "sentence": "Putin’s visit for the 23rd summit puts two or three further "
                "regiments, and a transfer of missile technology, up for discussion.",
                "article": SUMMIT_ARTICLE,
            },
        ],
    },
    "India–Russia": {
        "order": "newest_first",
        "milestones": [
            {
                "date": date(2000, 10, 1),
                "precision": "month",
                "title": "Declaration on Strategic Partnership",
                "sentence": "Putin’s first visit to India as president starts the yearly "
                "summits between the two leaders.",
            },
            {
                "date": date(2010, 1, 1),
                "precision": "year",
                "title": "The partnership becomes “special and privileged”",
            },
            {
                "date": date(2018, 10, 5),
                "precision": "day",
                "title": "The S-400 contract",
                "sentence": "Five squadrons of the air-defence system, for about $5.4bn.",
            },
            {
                "date": date(2024, 7, 1),
                "precision": "month",
                "title": "Modi in Moscow for the 22nd summit",
                "sentence": "His first visit to Russia since the invasion of Ukraine.",
            },
            {
                "date": date(2025, 12, 4),
                "precision": "day",
                "title": "Putin in New Delhi for the 23rd summit",
                "sentence": "Trade, payments and defence top a two-day state visit, his first "
                "to India since the war in Ukraine began.",
                "article": SUMMIT_ARTICLE,
            },
        ],
    },
}
