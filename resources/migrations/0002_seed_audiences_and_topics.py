"""Seed the fixed audiences (one row per taxonomy.Audience) and a starting set of editable topics."""

from django.db import migrations

AUDIENCES = [
    ("4-7", "Children aged 4–7 (Key Stage 1)"),
    ("8-10", "Children aged 8–10 (Key Stage 2)"),
    ("11-13", "Young people aged 11–13 (Key Stage 3)"),
    ("14-18", "Young people aged 14–18 (Key Stage 4 and sixth form)"),
    ("parents-carers", "Parents and carers"),
    ("faith-community", "Faith and community groups"),
    ("professionals", "Professionals"),
]

TOPICS = [
    ("online-safety", "Online safety", "Staying safe on apps, games and websites."),
    ("grooming", "Grooming", "How people build trust to harm children, and how to spot it."),
    ("sharing-images", "Sharing nudes and images", "What the law says, and what to do if an image is shared."),
    ("healthy-relationships", "Healthy relationships and consent", "Respect, boundaries and saying no."),
    ("signs-of-exploitation", "Signs of exploitation", "Changes in behaviour that may mean a child is at risk."),
    ("gaming-and-chat", "Gaming and chat", "Talking to people you meet in games and chat rooms."),
    ("getting-help", "Reporting and getting help", "Who to tell and how to report a worry."),
]


def seed(apps, schema_editor):
    AudienceTag = apps.get_model("resources", "AudienceTag")
    Topic = apps.get_model("resources", "Topic")
    for order, (slug, label) in enumerate(AUDIENCES):
        AudienceTag.objects.update_or_create(slug=slug, defaults={"label": label, "sort_order": order})
    for slug, name, description in TOPICS:
        Topic.objects.get_or_create(slug=slug, defaults={"name": name, "description": description})


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
