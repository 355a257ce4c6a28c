"""Factories for the core models. App-specific factories live beside their tests."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Page

from campaigns.models import (
    Booking,
    BookingKind,
    Campaign,
    CampaignStatus,
    Contact,
    Invitation,
    Organisation,
    OrganisationKind,
)
from campaigns.models.bookings import new_reference_suffix
from events.models import EventIndexPage, EventKind, EventPage, Session, Venue
from resources.taxonomy import Audience


def member_of(group, username, **fields):
    """A staff member in one of the groups the roles create (campaigns.roles, resources.workflow)."""
    user = get_user_model().objects.create_user(username=username, email=f"{username}@example.org", **fields)
    user.groups.add(Group.objects.get(name=group))
    return user


def home_page():
    from cms.models import HomePage

    return HomePage.objects.first()


def event_index():
    index = EventIndexPage.objects.first()
    if index is None:
        index = EventIndexPage(title="What's on", slug="events")
        home_page().add_child(instance=index)
    return index


class PageFactory(factory.django.DjangoModelFactory):
    """Creates a page as a child of `parent` (default: a sensible parent for the page type)."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        page = model_class(*args, **kwargs)
        parent = parent or cls.default_parent()
        parent.add_child(instance=page)
        page.save_revision().publish()
        return Page.objects.get(pk=page.pk).specific

    @classmethod
    def default_parent(cls):
        return home_page()


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Community Hall {n}")
    address = "1 High Street\nGrays"
    postcode = "RM17 6SL"
    capacity_guidance = 120


class EventPageFactory(PageFactory):
    class Meta:
        model = EventPage

    title = factory.Sequence(lambda n: f"Walk Online roadshow {n}")
    slug = factory.Sequence(lambda n: f"event-{n}")
    kind = EventKind.PUPIL_ROADSHOW
    audience = Audience.AGES_8_10

    @classmethod
    def default_parent(cls):
        return event_index()


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventPageFactory)
    venue = factory.SubFactory(VenueFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=3))
    capacity = 90


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.SCHOOL
    name = factory.Sequence(lambda n: f"Riverside Primary School {n}")
    urn = factory.Sequence(lambda n: 900000 + n)
    town = "Grays"
    postcode = "RM17 5AA"
    local_authority = "Thurrock"
    local_authority_code = "883"
    phase = "Primary"
    establishment_type = "Community school"
    statutory_low_age = 4
    statutory_high_age = 11
    number_of_pupils = 420


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Office contact {n}")
    email = factory.Sequence(lambda n: f"office{n}@school.example.org")


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"Walk Online {2027 + n}")
    slug = factory.Sequence(lambda n: f"walk-online-{2027 + n}")
    code = factory.Sequence(lambda n: f"W{n:03d}")
    series = "walk-online"
    audience = Audience.AGES_8_10
    year_groups = ["Y5"]
    target_reach = 3000
    local_authorities = ["Thurrock"]
    starts_on = factory.LazyFunction(lambda: timezone.localdate())
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=120))
    status = CampaignStatus.OPEN


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    campaign = factory.SubFactory(CampaignFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    contact = factory.SubFactory(ContactFactory, organisation=factory.SelfAttribute("..organisation"))


class BookingFactory(factory.django.DjangoModelFactory):
    """A booking row. It does not move Session.places_taken: use the booking services for that."""

    class Meta:
        model = Booking

    reference = factory.LazyFunction(lambda: f"T-{new_reference_suffix(6)}")
    session = factory.SubFactory(SessionFactory)
    kind = BookingKind.ORGANISATION
    organisation = factory.SubFactory(OrganisationFactory)
    year_group = "Y5"
    pupils = 30
    staff = 2
    adults = 0
    guests = 0
    places = factory.LazyAttribute(lambda o: o.pupils + o.staff + o.adults + o.guests)
    booker_name = "Class teacher"
    booker_email = factory.Sequence(lambda n: f"teacher{n}@school.example.org")
