"""Demo content for the library: editor and reviewer accounts, images, a document, resources."""

import io
import os
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction

from resources import demo_translations
from resources.demo_content import RESOURCES, RESTRICTED_RESOURCE
from resources.models import AudienceTag, ResourcePage, Topic
from resources.structure import ensure_library
from resources.workflow import EDITORS_GROUP, REVIEWERS_GROUP

AUDIENCE_COLOURS = {
    "4-7": ("#ffdd00", "#1d3f72"),
    "8-10": ("#85994b", "#ffffff"),
    "11-13": ("#5694ca", "#0b0c0c"),
    "14-18": ("#4c2c92", "#ffffff"),
    "parents-carers": ("#d4351c", "#ffffff"),
    "faith-community": ("#00703c", "#ffffff"),
    "professionals": ("#1d3f72", "#ffffff"),
}
DOCUMENT_TITLE = "Talking about staying safe: a conversation guide"


def seed(out):
    library = ensure_library()
    editor = ensure_user(out, "editor", EDITORS_GROUP, "DEMO_EDITOR_PASSWORD", "Erin", "Editor")
    ensure_user(out, "reviewer", REVIEWERS_GROUP, "DEMO_REVIEWER_PASSWORD", "Ravi", "Reviewer")
    document = _ensure_document()
    images = {slug: _ensure_image(slug, *colours) for slug, colours in AUDIENCE_COLOURS.items()}
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    today = timezone.localdate()
    existing = set(library.get_children().values_list("slug", flat=True))
    for number, row in enumerate(RESOURCES):
        if row[0] in existing:
            continue
        # Review dates are relative to the day the page is made. A few are overdue so the report and the
        # reminder have something to show; the public page names a review date only while it is to come.
        review_by = today + timedelta(days=[-10, 20, 200, 300][number % 4])
        _create_resource(library, row, topics, images, document, editor, review_by)
    if RESTRICTED_RESOURCE[0] not in existing:
        page = _create_resource(
            library, RESTRICTED_RESOURCE, topics, images, document, editor, today + timedelta(days=365)
        )
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    demo_translations.seed(out)


def ensure_user(out, username, group_name, env_name, first_name, last_name):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user
    password = os.environ.get(env_name) or secrets.token_urlsafe(12)
    user = User.objects.create_user(
        username=username,
        email=f"{username}@safe-together.example",
        password=password,
        first_name=first_name,
        last_name=last_name,
    )
    user.groups.add(Group.objects.get(name=group_name))
    if os.environ.get(env_name):
        out.write(f"Created the demo account '{username}' ({group_name}) with {env_name}.")
    else:
        out.write(
            f"Created the demo account '{username}' ({group_name}) with password: {password}\n"
            f"  (shown once; set {env_name} to choose it)"
        )
    return user


def _ensure_image(slug, background, ink):
    Image = get_image_model()
    title = f"Demo illustration: {slug}"
    image = Image.objects.filter(title=title).first()
    if image is not None:
        return image
    canvas = PILImage.new("RGB", (960, 540), background)
    draw = ImageDraw.Draw(canvas)
    # Simple friendly shapes: a sun and two figures holding hands, no text, nothing frightening.
    draw.ellipse((760, 40, 900, 180), fill="#ffffff" if ink != "#ffffff" else "#ffdd00")
    for x in (330, 560):
        draw.ellipse((x, 170, x + 80, 250), fill=ink)
        draw.rounded_rectangle((x - 10, 260, x + 90, 440), radius=30, fill=ink)
    draw.line((420, 330, 550, 330), fill=ink, width=18)
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    return Image.objects.create(
        title=title,
        description="Illustration of two people holding hands under a sun.",
        file=ContentFile(buffer.getvalue(), name=f"demo-{slug}.png"),
    )


def _ensure_document():
    Document = get_document_model()
    document = Document.objects.filter(title=DOCUMENT_TITLE).first()
    if document is not None:
        return document
    lines = [
        DOCUMENT_TITLE,
        "",
        "1. Choose a calm moment, such as a car journey or a walk.",
        "2. Ask open questions: what do you enjoy online? Who do you talk to?",
        "3. Listen, stay calm, and thank them for telling you.",
        "4. Never blame a child for what someone else did.",
        "",
        "Help: 999 in an emergency. Police 101. NSPCC Helpline 0808 800 5000.",
        "Childline 0800 1111 (free, any time). Report online abuse to CEOP.",
    ]
    return Document.objects.create(
        title=DOCUMENT_TITLE, file=ContentFile(simple_pdf(lines), name="conversation-guide.pdf")
    )


def simple_pdf(lines):
    """A one-page PDF of plain text lines, written by hand (no network, no extra package)."""

    def escape(text):
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    stream = "BT /F1 12 Tf 56 780 Td 16 TL " + " ".join(f"({escape(line)}) Tj T*" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        "/Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(stream.encode('latin-1'))} >>\nstream\n{stream}\nendstream",
    ]
    body = b"%PDF-1.4\n"
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n{obj}\nendobj\n".encode("latin-1")
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("latin-1")
    body += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode("latin-1")
    body += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode(
        "latin-1"
    )
    return body


def _create_resource(library, row, topics, images, document, owner, review_by):
    slug, title, audience_slugs, topic_slugs, formats, year_groups, summary, paragraphs, questions, note = row
    body = [{"type": "text", "value": "".join(f"<p>{text}</p>" for text in paragraphs)}]
    if questions:
        body.append({"type": "talk_about_it", "value": {"heading": "Talk about it", "questions": questions}})
    body.append(
        {
            "type": "image",
            "value": {
                "image": images[audience_slugs[0]].pk,
                "alt_text": "Two people holding hands under a smiling sun.",
                "caption": "",
            },
        }
    )
    if "parents-carers" in audience_slugs or "faith-community" in audience_slugs:
        body.append(
            {
                "type": "download",
                "value": {
                    "document": document.pk,
                    "label": "Conversation guide (PDF)",
                    "description": "A one-page guide to print or share.",
                },
            }
        )
    body.append(
        {
            "type": "callout",
            "value": {
                "kind": "help",
                "heading": "Where to get help",
                "text": "<p>Childline (free, any time): 0800 1111. NSPCC Helpline for adults: 0808 800 5000. "
                "In an emergency call 999.</p>",
            },
        }
    )
    page = ResourcePage(
        title=title,
        slug=slug,
        summary=summary,
        body=body,
        sectors=["taxi-private-hire"]
        if slug.startswith("taxi")
        else (["housing"] if "housing" in slug else []),
        delivery_formats=formats,
        year_groups=year_groups,
        facilitator_note=f"<p>{note}</p>" if note else "",
        review_by=review_by,
        review_owner=owner,
        owner=owner,
        listing_image=images[audience_slugs[0]],
        listing_image_alt="Two people holding hands under a smiling sun.",
    )
    page.audiences = list(AudienceTag.objects.filter(slug__in=audience_slugs))
    page.topics = [topics[topic] for topic in topic_slugs if topic in topics]
    library.add_child(instance=page)
    page.save_revision(user=owner).publish()
    return page
