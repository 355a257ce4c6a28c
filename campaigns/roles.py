"""The staff roles, as Wagtail groups holding only the permissions each needs.

Created (and topped up) after every `migrate`, so a new install has them before anyone signs in; an
administrator then adds people to groups in Settings → Groups. The editorial groups (Editors,
Moderators, Safeguarding reviewers) and their page permissions come from resources.workflow.

- Campaign staff: run campaigns end to end (organisations, contacts, campaigns, invitations, bookings,
  waiting lists, events, venues and sessions, registers, training, reach, questionnaires); read emails,
  provider events and adults' evaluation comments. They add, change and publish event pages under What's on; an event page for children still
  goes live only through safeguarding review (resources.workflow guards every route to live).
- Register takers: take and correct registers on the day (and until REGISTER_EDIT_DAYS after the session),
  nothing else: the certificates of the people they tick off are issued by staff who manage training.
- Partner analysts: read reach dashboards, reports and exports; no personal data screens.
- Licensing officers: check a list of licence numbers against the training records (valid until, expired,
  none found) and export the answer; nothing else.
"""

from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS
from wagtail.models import GroupPagePermission

from cms.structure import is_last_app_migrated
from events.models import EventIndexPage

CAMPAIGN_STAFF = "Campaign staff"
REGISTER_TAKERS = "Register takers"
PARTNER_ANALYSTS = "Partner analysts"
LICENSING_OFFICERS = "Licensing officers"

# Permissions of their own (not a model's add/change/delete/view), held by the roles below.
TAKE_REGISTER = "campaigns.take_register"
VIEW_REACH = "campaigns.view_reach"
# Held by no role: an administrator grants it to whoever may correct a register after it has closed.
CORRECT_CLOSED_REGISTERS = "campaigns.correct_closed_registers"
# Model permissions that stand for a duty: issuing training certificates, and seeing who is in a cohort.
ISSUE_CERTIFICATES = "campaigns.add_trainingrecord"
VIEW_COHORT_MEMBERS = "campaigns.view_cohortmember"
CHECK_LICENCES = "campaigns.view_trainingrecord"
PERMISSION_NAMES = {
    TAKE_REGISTER: "take registers",
    VIEW_REACH: "see reach figures",
    CORRECT_CLOSED_REGISTERS: "correct closed registers",
    ISSUE_CERTIFICATES: "issue training certificates",
    "campaigns.add_campaign": "create campaigns",
    "events.add_session": "add sessions",
    "campaigns.add_invitation": "send invitations",
}

_MANAGE = ("add", "change", "delete", "view")

# Page permissions of Campaign staff on every What's on page (and so on its events).
EVENT_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")

ROLES = {
    CAMPAIGN_STAFF: [
        *(
            f"campaigns.{action}_{model}"
            for model in (
                "organisation",
                "contact",
                "campaign",
                "invitation",
                "booking",
                "waitinglistentry",
                "cohort",
                "cohortmember",
                "trainingcourse",
                "trainingrecord",
                "schoolimport",
                "questionnaire",
            )
            for action in _MANAGE
        ),
        "campaigns.view_outboundmessage",
        "campaigns.view_emailevent",
        "campaigns.view_suppressedaddress",
        "campaigns.add_suppressedaddress",
        "campaigns.view_capacitydrift",
        "campaigns.view_attendance",
        "campaigns.view_adultcomment",
        "campaigns.delete_adultcomment",
        "campaigns.take_register",
        "campaigns.view_reach",
        *(f"events.{action}_{model}" for model in ("venue", "session") for action in _MANAGE),
    ],
    REGISTER_TAKERS: ["campaigns.take_register"],
    PARTNER_ANALYSTS: ["campaigns.view_reach"],
    LICENSING_OFFICERS: [CHECK_LICENCES],
}


def ensure_roles():
    admin_access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for name, dotted_names in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = [admin_access]
        for dotted in dotted_names:
            app_label, codename = dotted.split(".")
            wanted.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.add(*wanted)
    for index in EventIndexPage.objects.all():
        grant_event_pages(index)


def grant_event_pages(index):
    """Let Campaign staff create, change and publish the events under one What's on page."""
    group, _ = Group.objects.get_or_create(name=CAMPAIGN_STAFF)
    for codename in EVENT_PAGE_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=group, page=index, permission=permission)


def grant_event_pages_on_create(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        grant_event_pages(instance)


def ensure_roles_after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    if is_last_app_migrated(sender):
        ensure_roles()
