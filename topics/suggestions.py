"""Topics an article's text names: existing topics whose name or alias occurs in it as whole
words, compared folded as topic names are ("S-400", "S 400", "s400" and an alias "С-400" all
find S-400).

The names come from one query, kept in the shared cache until a topic or alias changes (the
page cache's journal says when: `topics` and `topic-aliases`). The text is split into words;
runs of words joined only by spaces, dashes or slashes are folded word by word and looked up,
up to the longest name's number of words, so the cost grows with the text, not the topics.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.db.models import F, Value

from articles import cache_keys
from coverage_site.page_cache import cached_fragment
from topics.lookalikes import fold_topic_name

MAX_SUGGESTIONS = 12
# Past this many characters of one text (a body over the size cap) nothing more is read.
MAX_SCANNED_CHARACTERS = 100_000
MAX_NAME_WORDS = 12
# A word: letters, digits and combining marks. Between the words of one name only spaces,
# dashes, hyphens, slashes or a full stop inside an abbreviation ("U.S."); anything else
# (a comma, a full stop and space, a bracket) ends the run, so "India, Russia" is not
# "India–Russia".
WORD = re.compile(r"[^\W_]+")
JOINER = re.compile(r"[\s\-\u2010-\u2015\u2212/.]*")
SENTENCE_END = re.compile(r"\.\s")
# Where a topic is mentioned counts: the headline most, the body least.
WEIGHTS = {"headline": 4, "standfirst": 2, "key_points": 2, "body": 1}


def words(text):
    """The words of `text` as (start, end), in runs a name may span."""
    runs, run, last_end = [], [], None
    for match in WORD.finditer(text):
        start, end = match.span()
        between = text[last_end:start] if run else ""
        if run and (not JOINER.fullmatch(between) or SENTENCE_END.search(between)):
            runs.append(run)
            run = []
        run.append((start, end))
        last_end = end
    if run:
        runs.append(run)
    return runs


def name_index():
    """{folded name: [(topic id, topic name, alias or "")]} and the longest name in words."""
    from topics.models import CLASH_MARK, Topic, TopicAlias

    names = (
        Topic.objects.order_by()
        .annotate(alias=Value(""))
        .values_list("pk", "name", "name_key", "alias")
    )
    aliases = (
        TopicAlias.objects.order_by()
        .annotate(topic_name=F("topic__name"))
        .values_list("topic_id", "topic_name", "name_key", "name")
    )
    index, longest = {}, 1
    for topic_id, topic_name, key, alias in names.union(aliases, all=True):
        key = key.split(CLASH_MARK)[0]  # a clash the name migration left for an editor to merge
        index.setdefault(key, []).append((topic_id, topic_name, alias))
        name = alias or topic_name
        longest = max(longest, sum(len(run) for run in words(name)))
    return {"names": index, "longest": min(longest, MAX_NAME_WORDS)}


def cached_name_index():
    return cached_fragment(
        None,
        "topic-name-index",
        name_index,
        lambda _: {cache_keys.TOPICS, cache_keys.TOPIC_ALIASES},
    )


@dataclass
class Suggestion:
    topic_id: int
    name: str
    found_as: str = ""  # the words as the text has them, when they differ from the name
    score: int = 0
    first: tuple = field(default=(0, 0))

    @property
    def label(self):
        if self.found_as and self.found_as.casefold() != self.name.casefold():
            return f"{self.name} (“{self.found_as}” in the text)"
        return self.name


def suggest_topics(texts, exclude=(), limit=MAX_SUGGESTIONS, index=None):
    """Topics named in `texts` ({"headline": …, "standfirst": …, "key_points": […], "body": …}),
    most mentioned first (the headline counting most), without those in `exclude` (ids)."""
    index = index or cached_name_index()
    names, longest = index["names"], index["longest"]
    excluded = {int(pk) for pk in exclude}
    folded = {}
    found = {}
    for order, (part, text) in enumerate(texts_in_order(texts)):
        for run in words(text):
            keys = []
            for start, end in run:
                word = text[start:end]
                if word not in folded:
                    folded[word] = fold_topic_name(word)
                keys.append(folded[word])
            for i in range(len(run)):
                key = ""
                for j in range(i, min(i + longest, len(run))):
                    key += keys[j]
                    for topic_id, topic_name, _alias in names.get(key, ()):
                        if topic_id in excluded:
                            continue
                        suggestion = found.get(topic_id)
                        if suggestion is None:
                            as_written = text[run[i][0] : run[j][1]]
                            suggestion = found[topic_id] = Suggestion(
                                topic_id, topic_name, as_written, first=(order, run[i][0])
                            )
                        suggestion.score += WEIGHTS[part]
    ranked = sorted(found.values(), key=lambda s: (-s.score, s.first, s.name))
    return ranked[:limit]


def texts_in_order(texts):
    for part in WEIGHTS:
        value = texts.get(part) or ""
        for text in [value] if isinstance(value, str) else value:
            yield part, unicodedata.normalize("NFC", text[:MAX_SCANNED_CHARACTERS])
