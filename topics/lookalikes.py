"""When two topic names look the same to a reader: the Unicode look-alike skeleton (UTS #39).

`lookalike_key("Ѕ-400")` (a Cyrillic Ѕ), `lookalike_key("S‐400")` (a Unicode hyphen) and
`lookalike_key("S-400")` are equal. The key follows the skeleton algorithm of Unicode Technical
Standard #39: decompose, replace every character by the prototype of its confusable class from
Unicode's confusables.txt (as shipped, with its updates, by the confusable_homoglyphs package),
decompose again. Case is folded as well, since a topic name is unique whatever its case.
"""

import functools
import unicodedata

from confusable_homoglyphs.confusables import confusables_data

from coverage_site.text import strip_invisible_characters

_DIRECTION_MARKS = dict.fromkeys([0x200E, 0x200F])


def _plain(text):
    # The package keeps right-to-left characters wrapped in direction marks for display.
    return text.translate(_DIRECTION_MARKS)


@functools.cache
def _prototypes():
    """{character: prototype}, from the package's pairs.

    confusables.txt maps each confusable character to one prototype; the package stores every
    such pair in both directions, so a prototype is the member of a class that is linked to
    several characters (or the multi-character one). In a class of two single characters
    either can stand for both, so the lower code point does.
    """
    links = {}
    for character, homoglyphs in confusables_data.items():
        links.setdefault(_plain(character), set()).update(_plain(h["c"]) for h in homoglyphs)
    prototypes = {}
    for character, linked in links.items():
        if len(character) != 1 or len(linked) != 1:
            continue  # a prototype (linked to several characters), or a multi-character one
        (other,) = linked
        if len(other) > 1 or len(links.get(other, ())) > 1 or other < character:
            prototypes[character] = other
    return prototypes


def skeleton(text):
    """The UTS #39 skeleton of `text`: equal for strings a reader cannot tell apart."""
    prototypes = _prototypes()
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFD", "".join(prototypes.get(c, c) for c in decomposed))


def lookalike_key(name):
    """What two topic names share when they look alike, in any case: e.g. "s-400"."""
    visible = " ".join(strip_invisible_characters(name or "").split())
    return skeleton(skeleton(visible).casefold())


def _letters_and_digits(text):
    return "".join(c for c in text if unicodedata.category(c)[0] in "LNM")


def fold_topic_name(name):
    """The key two topic names share when readers would take them for one subject.

    Case, Unicode compatibility forms (NFKC), spaces, dashes, hyphens and punctuation do not
    count, and look-alike characters from other alphabets fold to their prototype (the UTS #39
    skeleton): "India–Russia", "india - russia" and "INDIA—RUSSIA" share "indiarussia"; "S-400",
    "S 400", "S400" and "Ѕ-400" (a Cyrillic Ѕ) share one key too. A name with no letter or
    digit folds to "", which no topic may have.
    """
    text = unicodedata.normalize("NFKC", strip_invisible_characters(name or "")).casefold()
    text = skeleton(skeleton(_letters_and_digits(text)).casefold())
    return unicodedata.normalize("NFC", _letters_and_digits(text))
