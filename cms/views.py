"""Site-wide views: the public search and the health check."""

import hashlib
import re

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from wagtail.models import Locale, Page

from cms.councils import councils_for_postcode
from cms.extensions import apply_search_filters
from cms.links import page_number
from cms.page_cache import cached_public_response, remembered
from cms.search_terms import search_query
from cms.tasks import background_silence

SEARCH_PAGE_SIZE = 10
MAX_QUERY_LENGTH = 200


def clean_query(raw):
    """Words only: quotes and operators would be read as full-text syntax by the database."""
    words = re.sub(r"[^\w\s'-]", " ", (raw or "")[: MAX_QUERY_LENGTH * 2]).replace("'", " ")
    return " ".join(words.split())[:MAX_QUERY_LENGTH]


def search(request):
    """`/search/?query=…` over published, public pages (never pages behind page privacy).

    Higher apps add filters (the library's `age`, `audience`, `topic`) through the
    `register_public_search_filter` hook. Anonymous visitors share cached results (cms/page_cache.py).
    """
    return cached_public_response(request, lambda: _search(request))


def in_visitors_language(pages):
    """Pages in the visitor's language (from the URL prefix), and English pages not translated into it."""
    default = Locale.get_default()
    locale = Locale.get_active()
    if locale.pk == default.pk:
        return pages.filter(locale_id=default.pk), default
    translated = Page.objects.live().filter(locale_id=locale.pk).values("translation_key")
    english_only = Page.objects.filter(locale_id=default.pk).exclude(translation_key__in=translated)
    return pages.filter(Q(locale_id=locale.pk) | Q(pk__in=english_only.values("pk"))), locale


def search_page(found, number, asked, per_page=SEARCH_PAGE_SIZE):
    """One page of search results, running the search once where the page itself tells the total (a last,
    part-filled page) and otherwise counting the matches once per content version for the same words,
    filters and language (`remembered`: any publish counts afresh), not on every request."""
    number = page_number(number)
    paginator = Paginator(found, per_page)
    start = (number - 1) * per_page
    rows = list(found[start : start + per_page])
    if 0 < len(rows) < per_page or (number == 1 and not rows):
        paginator.count = start + len(rows)  # the total, known without counting
        return paginator._get_page(rows, number, paginator)
    digest = hashlib.sha256(repr(asked).encode()).hexdigest()[:32]
    paginator.count = remembered(f"search-count:{digest}", found.count)
    if rows:
        return paginator._get_page(rows, number, paginator)
    return paginator.get_page(number)  # past the end (pages changed): the last page, as before


def _search(request):
    """The search page. Its results (and their filter links) are the same for everyone who asks the same
    words, filters and page in the same language on the same site, so they are rendered once per public
    content version (`remembered`) and every other visit, an editor's included, pays only for the page
    around them. The filters narrow a lazy queryset, so nothing is read until the results are rendered."""
    query = clean_query(request.GET.get("query"))
    pages, filter_groups, problems, params = apply_search_filters(request, Page.objects.all(), query)
    number = page_number(request.GET.get("page"))

    def results_html():
        visible, locale = in_visitors_language(pages.live().public().specific())
        page, results = None, []
        if query:
            page = search_page(visible.search(search_query(query)), number, (query, params))
            results = list(page.object_list)
            for result in results:
                result.in_english_only = result.locale_id != locale.pk  # offered in English, with a note
        context = {
            "query": query,
            "results_page": page,
            "results": results,
            "filter_groups": filter_groups,
            "problems": problems,
            "pagination_query": f"{urlencode({'query': query, **params})}&",
            "request": request,  # for links relative to this site, which is part of the key
        }
        return render_to_string("cms/includes/search_results.html", context)

    asked = (query, sorted(params.items()), problems, number, request.get_host())
    digest = hashlib.sha256(repr(asked).encode()).hexdigest()[:32]
    return render(
        request,
        "cms/search.html",
        {
            "query": query,
            "filter_params": params,
            "results_html": remembered(f"search-results:{digest}", results_html),
        },
    )


@require_safe
def help_page(request):
    """`/help/?postcode=RM17 6SL`: the national numbers, then each partner council's children's services,
    the council whose postcode districts hold the postcode first. The look-up uses only the councils' own
    lists: nothing is sent anywhere and nothing is stored."""
    postcode = " ".join(str(request.GET.get("postcode", ""))[:20].split()).upper()
    district, matches, others = councils_for_postcode(postcode)
    context = {
        "postcode": postcode,
        "district": district,
        "matches": matches,
        "others": others,
        "councils": matches + others,
    }
    return render(request, "cms/help.html", context)


@never_cache
def health(request):
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "unavailable"}, status=503)
    body = {"status": "ok"}
    silence = background_silence()
    if silence not in (None, "never"):
        body["background"] = f"silent for {int(silence.total_seconds() // 60)} minutes"
    return JsonResponse(body)


@never_cache
def background_health(request):
    """For monitoring: 200 while the scheduler and a worker run the heartbeat, 503 once they fall silent
    (or have never run). Web servers stay in service either way; this is what should page someone."""
    silence = background_silence()
    if silence == "never":
        return JsonResponse({"status": "silent", "detail": "no heartbeat has run yet"}, status=503)
    if silence is not None:
        minutes = int(silence.total_seconds() // 60)
        return JsonResponse({"status": "silent", "detail": f"silent for {minutes} minutes"}, status=503)
    return JsonResponse({"status": "ok"})


def csrf_failure(request, reason=""):
    """A form sent without a valid CSRF check (cookie expired, or blocked): say so plainly; nothing changed."""
    return render(request, "403_csrf.html", status=403)
