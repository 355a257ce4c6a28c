"""The materials library under load: /resources/ (plain and filtered), one resource page and /search/ with
1,000 resources and then `ctx.sizes` times as many, against a bare view (/healthz) on the same live server in
the same run. The Polish library (/pl/resources/) and the Polish translation of that resource page sit beside
the English ones: a translated page should cost what its English page costs (the same queries).

Anonymous visitors are mostly served from the public page cache (cms/page_cache.py). The "rendered afresh"
rows make every request a cache miss, to show what a page costs when it has to be built: the first visit
after a publish, or any visit by a signed-in editor.
"""

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


# Counted warm (each rendered once before): a page's first render in a language also fills that language's
# shared values (cms.page_cache.remembered), which is not what the page costs.
COMPARED = ("resource page", "resource page, in Polish", "resource index, in Polish")


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
        queries = {
            name: ctx.count_queries(lambda path=path, client=client: client.get(path))[1]
            for name, path in pages.items()
            if name not in COMPARED
        }
        for name in COMPARED:  # English and Polish side by side: each rendered once first, then counted
            client.get(f"{pages[name]}?miss=warm")
            fresh = f"{pages[name]}?miss=count"
            queries[name] = ctx.count_queries(lambda fresh=fresh, client=client: client.get(fresh))[1]
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
                        f"p95 {figures['p95_ms']:.1f} ms; {query_count} SQL queries per page rendered afresh; "
                        f"statuses {figures['statuses']}",
                        queries=query_count,
                        size=size,
                    )
                )
    return rows
