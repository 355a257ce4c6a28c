"""Small template helpers for public pages: phone links, panels, and the page's languages."""

import re

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

register = template.Library()


@register.filter
def tel(number):
    """A `tel:` URL for a phone number as people write it ("0808 800 5000" -> "tel:08088005000")."""
    digits = re.sub(r"[^0-9+]", "", str(number or ""))
    return f"tel:{digits}" if digits else ""


@register.filter
def council_names(councils, last_joiner):
    """The councils' names as a sentence lists them: "A, B or C", with `last_joiner` ("or") translated."""
    names = [str(council["name"] if isinstance(council, dict) else council.name) for council in councils]
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} {last_joiner} {names[-1]}"


@register.simple_tag(takes_context=True)
def render_panel(context, panel):
    """Render a HomePagePanel from a higher app with its own context plus the request."""
    return render_to_string(panel.template_name, {**panel.context}, request=context.get("request"))


def unprefixed(path):
    """`path` without its language prefix ("/pl/resources/" -> "/resources/"); English paths have none."""
    language = translation.get_language_from_path(path)
    if not language or language == settings.LANGUAGE_CODE:
        return path
    return path[len(language) + 1 :] or "/"


def path_in(path, language):
    """The same page as `path` (with or without a prefix) in `language`: "/resources/", "pl" -> "/pl/resources/"."""
    path = unprefixed(path)
    return path if language == settings.LANGUAGE_CODE else f"/{language}{path}"


@register.simple_tag
def localized(path):
    """One of our own addresses ("/resources/") in the language of the page being shown ("/pl/resources/")."""
    return path_in(path, translation.get_language() or settings.LANGUAGE_CODE)


@register.filter
def html_lang(code):
    """A Django language code as HTML and hreflang write it: "en-gb" -> "en-GB", "ar" -> "ar"."""
    language, _, region = str(code).partition("-")
    return f"{language}-{region.upper()}" if region else language


@register.simple_tag(takes_context=True)
def language_links(context):
    """[{code, name, path, url, current, bidi}] for the page being shown in every language of the site.

    The path stays the same (query string included), only the prefix changes, so a visitor who switches
    stays on the page they were reading. `url` is absolute, for <link rel="alternate" hreflang>.
    """
    request = context.get("request")
    if request is None:
        return []
    current = translation.get_language()
    query = request.GET.urlencode()
    links = []
    for code, name in settings.LANGUAGES:
        path = path_in(request.path, code)
        full_path = f"{path}?{query}" if query else path
        links.append(
            {
                "code": code,
                "name": name,
                "path": full_path,
                "url": request.build_absolute_uri(full_path),
                "current": code == current,
                "bidi": translation.get_language_info(code)["bidi"],
            }
        )
    return links
