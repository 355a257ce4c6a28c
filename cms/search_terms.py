"""Turning what a visitor types into a search that finds what they mean.

The search index matches whole words, so "parent" would miss "parents" and "blackmail" would miss
"blackmailing"; and people search with words the material does not use ("sextortion" for a page about
someone threatening to share images). Each word typed is searched with its plain English variants, and
each term in SEARCH_SYNONYMS brings in the words the material uses for it. Every word must match in one
of its forms, as before.
"""

from django.conf import settings
from wagtail.search.query import And, Or, Phrase, PlainText

# A term people search for → words or phrases the library uses for it. Extend with SEARCH_SYNONYMS.
SYNONYMS = {
    "sextortion": ["blackmail", "threatens to share", "threatening to share"],
    "blackmail": ["sextortion", "threatens to share", "threatening to share"],
    "county lines": ["exploitation", "drugs"],
    "grooming": ["groom", "groomed", "trick"],
    "nudes": ["images", "photos", "sharing images"],
    "sexting": ["sharing images", "images"],
    "cse": ["sexual exploitation", "exploitation"],
    "parent": ["carer", "carers", "families"],
    "carer": ["parent", "parents"],
    "teacher": ["school", "classroom", "staff"],
    "gaming": ["games", "game"],
}


def synonyms():
    return {**SYNONYMS, **getattr(settings, "SEARCH_SYNONYMS", {})}


def variants(word):
    """The word with its common English endings: "parent" → parents, parenting; "games" → game, gaming."""
    if len(word) <= 3:
        return [word]
    bases = {word}
    for ending in ("ing", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            stem = word[: -len(ending)]
            bases |= {stem, stem + "e"} if ending in ("ing", "ed") else {stem}
    forms = set(bases)
    for base in bases:
        plain = base[:-1] if base.endswith("e") else base
        forms |= {base + "s", plain + "ing", plain + "ed" if plain != base else base + "ed"}
    return sorted(forms)


def _alternatives(term, known):
    options = [PlainText(form) for form in variants(term)]
    for other in known.get(term, []):
        options.append(Phrase(other) if " " in other else PlainText(other))
    return Or(options) if len(options) > 1 else options[0]


def search_query(text):
    """A search query for `text` (already cleaned of operators): each word or known phrase, in any form."""
    words = text.lower().split()
    known = synonyms()
    parts, index = [], 0
    while index < len(words):
        pair = " ".join(words[index : index + 2])
        if index + 1 < len(words) and pair in known:
            parts.append(Or([Phrase(pair), *[Phrase(o) if " " in o else PlainText(o) for o in known[pair]]]))
            index += 2
            continue
        parts.append(_alternatives(words[index], known))
        index += 1
    return And(parts) if len(parts) > 1 else parts[0]
