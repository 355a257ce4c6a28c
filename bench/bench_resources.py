"""The materials library under load: /resources/ (plain and filtered), one resource page and /search/ with
1,000 resources and then `ctx.sizes` times as many, against a bare view (/healthz) on the same live server in
the same run. The Polish library (/pl/resources/) and the Polish translation of that resource page sit beside
the English ones: a translated page should cost what its English page costs (the same queries).

Anonymous visitors are mostly served from the public page cache (cms/page_cache.py). The "rendered afresh"
rows make every request a miss of that cache (a new, otherwise ignored, parameter each time), to show what
a page costs when it has to be built: any visit by a signed-in editor, or an address nobody asked for yet.
The listing and search results inside such a page are kept per public content version
(resources/listing.py), so the "first view after a publish" rows, measured in one process, show what the
very first view of a filter costs once content changed, beside a view built around the kept listing.
"""

import statistics
import time

from django.test import Client

from bench.support import result

AUDIENCES = [
    ["4-7"],
    ["8-10"],
    ["8-10", "parents-carers"],
    ["11-13"],
    ["14-18"],
    ["faith-community"],
    ["professionals"],
]
TOPICS = [["grooming"], ["online-safety", "gaming-and-chat"], ["getting-help"], []]


def build_library(count):
    from wagtail.models import Locale

    from resources.models import AudienceTag, ResourceIndexPage, ResourcePage, Topic
    from resources.structure import ensure_library

    ensure_library()
    index = ResourceIndexPage.objects.get(locale=Locale.get_default())  # not its Polish translation
    audiences = {tag.slug: tag for tag in AudienceTag.objects.all()}
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    existing = index.get_children().count()
    for number in range(existing, count):
        page = ResourcePage(
            title=f"Benchmark resource {number}",
            slug=f"bench-{number}",
            summary="Guidance about staying safe online, used to measure the library's speed.",
            body=[{"type": "text", "value": "<p>Talk to an adult you trust. Childline: 0800 1111.</p>"}],
            delivery_formats=["classroom"],
        )
        page.audiences = [audiences[slug] for slug in AUDIENCES[number % len(AUDIENCES)]]
        page.topics = [topics[slug] for slug in TOPICS[number % len(TOPICS)]]
        index.add_child(instance=page)


TRANSLATED = "bench-0"  # the resource translated into Polish (with the home page and the library)


def built_after_a_publish(client, path):
    """The request a page costs when it is built from nothing it keeps: public content changed just before."""
    from cms.page_cache import invalidate_public_pages

    invalidate_public_pages()
    return client.get(path)


def translate_into_polish():
    """The home page, the library and one resource in Polish, published (by code, as the demo does)."""
    from wagtail.models import Locale, Page
    from wagtail_localize.models import Translation
    from wagtail_localize.operations import TranslationCreator

    from resources.models import ResourceIndexPage

    polish = Locale.objects.get(language_code="pl")
    library = ResourceIndexPage.objects.get(locale=Locale.get_default())
    for page in (library.get_parent(), library, library.get_children().get(slug=TRANSLATED)):
        if page.get_translation_or_none(polish) is not None:
            continue
        TranslationCreator(None, [polish]).create_translations(page.specific)
        translation = Translation.objects.get(source__object_id=page.translation_key, target_locale=polish)
        po = translation.export_po()
        for entry in po:
            entry.msgstr = entry.msgid if entry.msgctxt == "slug" else f"{entry.msgid} (po polsku)"
        translation.import_po(po)
        translation.save_target(user=None, publish=False)
        Page.objects.get(pk=page.get_translation(polish).pk).get_latest_revision().publish()


AFTER_A_PUBLISH = ("resource index", "resource index, filtered", "search, filtered")


def after_a_publish(client, pages, size, resources, repeat=60):
    """In one process: each view with public content changed just before it (everything it keeps is built
    again), against the same view built around what it keeps."""
    from cms.page_cache import invalidate_public_pages

    def median_ms(path, publish):
        times = []
        for number in range(repeat):
            if publish:
                invalidate_public_pages()
            sep = "&" if "?" in path else "?"
            started = time.perf_counter()
            client.get(f"{path}{sep}publish={int(publish)}-{number}")
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times)

    rows = []
    for name in AFTER_A_PUBLISH:
        kept, fresh = median_ms(pages[name], False), median_ms(pages[name], True)
        rows.append(
            result(
                f"{name}, first view after a publish ({resources} resources, in process)",
                "median time per view",
                fresh,
                "ms",
                "the same view around the kept listing",
                kept,
                notes="every view after public content changed: listing, filter links and topics built again",
                size=size,
            )
        )
    return rows


def run(ctx):
    requests = ctx.scaled(1000, minimum=100)
    pages = {
        "resource index": "/resources/",
        "resource index, filtered": "/resources/?age=8-10&audience=parents-carers&topic=grooming",
        "search, filtered": "/search/?query=online+safety&age=8-10",
        "resource page": f"/resources/{TRANSLATED}/",
        "resource page, in Polish": f"/pl/resources/{TRANSLATED}/",
        "resource index, in Polish": "/pl/resources/",
    }
    rows = []
    for size in ctx.sizes:  # grows the same library: 1,000 resources, then 1,000 x size
        resources = ctx.scaled(1000, minimum=100, size=size)
        build_library(resources)
        translate_into_polish()
        client = Client()
        # English and Polish side by side, each counted as built after a publish.
        queries = {
            name: ctx.count_queries(lambda path=path, client=client: built_after_a_publish(client, path))[1]
            for name, path in pages.items()
        }
        rows += after_a_publish(client, pages, size, resources)
        with ctx.live_server() as base:
            ctx.http_load(base, ["/healthz"] * 50 + list(pages.values()) * 10)  # warm up
            bare = ctx.http_load(base, ["/healthz"] * requests, concurrency=8)
            runs = [(name, path, False) for name, path in pages.items()]
            runs += [(f"{name}, rendered afresh", path, True) for name, path in pages.items()]
            for name, path, afresh in runs:
                if afresh:  # a new, otherwise ignored, parameter per request: every one is a cache miss
                    sep = "&" if "?" in path else "?"
                    paths = [f"{path}{sep}miss={number}" for number in range(requests // 4)]
                else:
                    paths = [path] * requests
                figures = ctx.http_load(base, paths, concurrency=8)
                query_count = queries[name.removesuffix(", rendered afresh")]
                rows.append(
                    result(
                        f"{name} ({resources} resources)",
                        "requests per second",
                        figures["per_second"],
                        "req/s",
                        "bare /healthz view",
                        bare["per_second"],
                        notes=f"median {figures['median_ms']:.1f} ms vs {bare['median_ms']:.1f} ms, "
                        f"p95 {figures['p95_ms']:.1f} ms; {query_count} SQL queries when built after a publish; "
                        f"statuses {figures['statuses']}",
                        queries=query_count,
                        size=size,
                    )
                )
    return rows
