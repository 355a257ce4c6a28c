"""The translation catalogues: every string of the public shell translated in every language, placeholders
kept, and each committed .mo compiled from its .po as it is now (so a fresh machine without gettext serves
what the catalogue says)."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
COMMUNITY_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
# Templates of the public site whose {% translate "…" %} strings must be in every catalogue.
PUBLIC_TEMPLATES = [
    *sorted((Path(settings.BASE_DIR) / "templates").glob("*.html")),
    *sorted((Path(settings.BASE_DIR) / "templates" / "includes").glob("*.html")),
    *sorted((Path(settings.BASE_DIR) / "templates" / "emails").glob("booking_*")),
    *sorted((Path(settings.BASE_DIR) / "templates" / "emails").glob("reminder_*")),
    *sorted(
        (Path(settings.BASE_DIR) / "campaigns" / "bookings" / "templates" / "campaigns" / "bookings").glob(
            "*.html"
        )
    ),
    *sorted((Path(settings.BASE_DIR) / "templates" / "emails").glob("waiting_*")),
    *sorted((Path(settings.BASE_DIR) / "templates" / "emails").glob("invitation*")),
    Path(settings.BASE_DIR) / "events" / "templates" / "events" / "includes" / "session_table.html",
    Path(settings.BASE_DIR) / "events" / "templates" / "events" / "event_index_page.html",
    Path(settings.BASE_DIR) / "events" / "templates" / "events" / "event_page.html",
    Path(settings.BASE_DIR) / "cms" / "templates" / "cms" / "search.html",
    Path(settings.BASE_DIR) / "cms" / "templates" / "cms" / "includes" / "search_results.html",
    Path(settings.BASE_DIR) / "cms" / "templates" / "cms" / "help.html",
    Path(settings.BASE_DIR) / "cms" / "templates" / "cms" / "includes" / "council_details.html",
    *sorted(
        (
            Path(settings.BASE_DIR) / "campaigns" / "invitations" / "templates" / "campaigns" / "invitations"
        ).glob("*.html")
    ),
    *sorted(
        (Path(settings.BASE_DIR) / "campaigns" / "mail" / "templates" / "campaigns" / "mail").glob(
            "unsub*.html"
        )
    ),
    *(
        Path(settings.BASE_DIR) / "campaigns" / "training" / "templates" / "campaigns" / "training" / name
        for name in ("certificate.html", "verify.html", "verify_too_many.html")
    ),
    *sorted((Path(settings.BASE_DIR) / "resources" / "templates" / "resources").glob("resource_*.html")),
    Path(settings.BASE_DIR) / "resources" / "templates" / "resources" / "includes" / "resource_card.html",
    Path(settings.BASE_DIR) / "resources" / "templates" / "resources" / "includes" / "listing.html",
    *(
        Path(settings.BASE_DIR) / "campaigns" / "evaluation" / "templates" / "campaigns" / "evaluation" / name
        for name in (
            "_base.html",
            "_errors.html",
            "_figures_table.html",
            "_trainee_base.html",
            "code.html",
            "questions.html",
            "school_report.html",
            "thanks.html",
            "too_many.html",
            "trainee.html",
            "trainee_done.html",
            "trainee_not_valid.html",
        )
    ),
    *(
        Path(settings.BASE_DIR) / relative
        for relative in (
            "cms/templates/cms/home_page.html",
            "cms/templates/cms/standard_page.html",
            "campaigns/templates/campaigns/link_not_valid.html",
            "resources/templates/resources/link_not_valid.html",
            "events/templates/events/includes/event_summary.html",
        )
    ),
    *sorted((Path(settings.BASE_DIR) / "resources" / "templates" / "resources" / "blocks").glob("*.html")),
    *(
        Path(settings.BASE_DIR) / "templates" / "emails" / f"{name}.{kind}"
        for name in (
            "follow_up_pack",
            "session_message",
            "training_certificate",
            "training_evaluation_request",
            "_evaluation_link",
        )
        for kind in ("html", "txt")
    ),
]


def read_po(path):
    """[{msgctxt, msgid, msgid_plural, msgstr: {index: text}, flags}] from a .po file (no dependency needed)."""
    entries, entry, field = [], None, None

    def unquote(text):
        return ast.literal_eval(text)

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry is not None:
                entries.append(entry)
            entry, field = None, None
            continue
        if entry is None:
            entry = {"msgctxt": None, "msgid": "", "msgid_plural": None, "msgstr": {}, "flags": set()}
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt "):
            field, entry["msgctxt"] = "msgctxt", unquote(line[len("msgctxt ") :])
        elif line.startswith("msgid_plural "):
            field, entry["msgid_plural"] = "msgid_plural", unquote(line[len("msgid_plural ") :])
        elif line.startswith("msgid "):
            field, entry["msgid"] = "msgid", unquote(line[len("msgid ") :])
        elif line.startswith("msgstr["):
            index = int(line[len("msgstr[") : line.index("]")])
            field = ("msgstr", index)
            entry["msgstr"][index] = unquote(line[line.index("]") + 2 :])
        elif line.startswith("msgstr "):
            field = ("msgstr", 0)
            entry["msgstr"][0] = unquote(line[len("msgstr ") :])
        elif line.startswith('"'):
            if isinstance(field, tuple):
                entry["msgstr"][field[1]] += unquote(line)
            else:
                entry[field] += unquote(line)
    return entries


def messages_of(language):
    return [entry for entry in read_po(LOCALE_DIR / language / "LC_MESSAGES" / "django.po") if entry["msgid"]]


def test_every_community_language_has_a_catalogue():
    assert COMMUNITY_LANGUAGES == ["pl", "ro", "ur", "ar"]
    for language in COMMUNITY_LANGUAGES:
        assert (LOCALE_DIR / language / "LC_MESSAGES" / "django.po").exists(), language
        assert (LOCALE_DIR / language / "LC_MESSAGES" / "django.mo").exists(), language


@pytest.mark.parametrize("language", COMMUNITY_LANGUAGES)
def test_every_message_is_translated_with_its_placeholders(language):
    entries = messages_of(language)
    assert len(entries) > 150
    for entry in entries:
        assert "fuzzy" not in entry["flags"], (language, entry["msgid"])
        assert entry["msgstr"] and all(text.strip() for text in entry["msgstr"].values()), (
            f"{language}: no translation for {entry['msgid']!r}"
        )
        wanted = set(PLACEHOLDER.findall(entry["msgid"])) | set(
            PLACEHOLDER.findall(entry["msgid_plural"] or "")
        )
        for text in entry["msgstr"].values():
            assert set(PLACEHOLDER.findall(text)) <= wanted, (language, entry["msgid"], text)
            if not entry["msgid_plural"]:
                assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(entry["msgid"])), (
                    language,
                    entry["msgid"],
                )


@pytest.mark.parametrize("language", COMMUNITY_LANGUAGES)
def test_the_header_marks_the_catalogue_for_a_human_reviewer_and_gives_plural_forms(language):
    text = (LOCALE_DIR / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    assert "Machine-assisted, for a human reviewer" in text
    header = gettext.GNUTranslations((LOCALE_DIR / language / "LC_MESSAGES" / "django.mo").open("rb")).info()
    assert header["language"] == language and "nplurals" in header["plural-forms"]


@pytest.mark.parametrize("language", COMMUNITY_LANGUAGES)
def test_the_committed_mo_is_compiled_from_the_po_as_it_is(language):
    """A .po edited without `make messages` leaves a stale .mo: this says so."""
    compiled = gettext.GNUTranslations((LOCALE_DIR / language / "LC_MESSAGES" / "django.mo").open("rb"))
    catalog = {key: value for key, value in compiled._catalog.items() if key != ""}
    expected = {}
    for entry in messages_of(language):
        # gettext keys a message with a context as "context\x04msgid".
        key = entry["msgid"] if entry["msgctxt"] is None else f"{entry['msgctxt']}\x04{entry['msgid']}"
        if entry["msgid_plural"]:
            for index, text in entry["msgstr"].items():
                expected[(key, index)] = text
        else:
            expected[key] = entry["msgstr"][0]
    assert catalog == expected, "run `make messages` and commit the .mo files"


BLOCK = re.compile(
    r"\{%\s*blocktranslate\b(?P<options>[^%]*)%\}(?P<body>.*?)\{%\s*endblocktranslate\s*%\}", re.S
)


def template_strings(path):
    """The msgids a template asks for: each {% translate "…" %} (without a context), and each simple
    {% blocktranslate %} (no count, context or trimmed) with its {{ name }} written %(name)s as in the .po."""
    text = path.read_text(encoding="utf-8")
    strings = [
        double or single
        for double, single in re.findall(r"""\{%\s*translate\s+(?:"([^"]+)"|'([^']+)')\s*%\}""", text)
    ]
    for block in BLOCK.finditer(text):
        options = block["options"].split()
        if {"count", "context", "trimmed"} & set(options) or "{%" in block["body"]:
            continue
        body = block["body"].replace("%", "%%")
        strings.append(re.sub(r"\{\{\s*(\w+)\s*\}\}", r"%(\1)s", body))
    return strings


@pytest.mark.parametrize("language", COMMUNITY_LANGUAGES)
def test_every_string_the_public_templates_translate_is_in_the_catalogue(language):
    known = {entry["msgid"] for entry in messages_of(language)}
    missing = set()
    for path in PUBLIC_TEMPLATES:
        for msgid in template_strings(path):
            if msgid not in known:
                missing.add((path.name, msgid))
    assert not missing, f"run `make messages` and translate: {sorted(missing)}"


# Written to a school's own office at the addresses the register holds, not to the person who booked, so
# in English whatever language the booking was made in (campaigns.bookings.emails.send_confirmation_request).
ENGLISH_BY_DESIGN = {"booking_confirm_request.html", "booking_confirm_request.txt"}
# Names that are the same in every language: the product's own, and a school's official reference number.
SAME_IN_EVERY_LANGUAGE = re.compile(r"\bSafe Together\b|\bURN\b")


def bare_text(path):
    """The words a template shows outside {% translate %} and {% blocktranslate %}: text no catalogue holds."""
    text = path.read_text(encoding="utf-8")
    for pattern in (
        r"\{%\s*blocktranslate.*?\{%\s*endblocktranslate\s*%\}",
        r"\{#.*?#\}",
        r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}",
        r"\{%\s*block body_class\s*%\}.*?\{%\s*endblock\s*%\}",
        r"<(script|style)\b.*?</\1>",
        r"\{%.*?%\}",
        r"\{\{.*?\}\}",
    ):
        text = re.sub(pattern, " ", text, flags=re.S)
    # What a screen reader or a tooltip says is shown text too.
    said = re.findall(r"""\b(?:alt|title|aria-label|placeholder)=["']([^"']*)["']""", text)
    text = re.sub(r"<[^>]*>|&#?\w+;", " ", text) + " " + " ".join(said)
    text = SAME_IN_EVERY_LANGUAGE.sub(" ", text)
    return re.findall(r"[A-Za-z]{2,}", text)


def test_the_public_templates_show_no_text_outside_the_translation_tags():
    """A sentence typed straight into a public template would show in English on every translated page."""
    bare = {
        path.name: words
        for path in PUBLIC_TEMPLATES
        if path.name not in ENGLISH_BY_DESIGN and (words := bare_text(path))
    }
    assert not bare, f"wrap these in {{% translate %}} and run `make messages`: {bare}"


def test_the_bare_text_check_finds_a_sentence_left_in_english(tmp_path):
    template = tmp_path / "page.html"
    template.write_text(
        '{% load i18n %}<p>{% translate "Book a place" %}</p><p title="{{ x }}">Thank you, {{ name }}.</p>'
        '<a aria-label="{% translate "Home" %}" href="/">{% blocktranslate %}Hi {{ name }}{% endblocktranslate %}</a>'
        '<img alt="Map" src="/m.png">{% comment %}\nNotes for whoever edits this.\n{% endcomment %}',
        encoding="utf-8",
    )
    assert bare_text(template) == ["Thank", "you", "Map"]
