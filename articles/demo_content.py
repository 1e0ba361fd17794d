"""Demo content for `manage.py load_demo`: original copy on the 23rd India–Russia summit and
its themes."""

from datetime import timedelta
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
