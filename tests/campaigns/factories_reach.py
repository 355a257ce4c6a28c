"""Factories for attendance, training, cohorts and partner tokens."""

import datetime

import factory
from django.utils import timezone

from campaigns.models import Attendance, Cohort, CohortMember, TrainingCourse, TrainingRecord
from campaigns.training.services import new_verification_code
from resources.taxonomy import Sector
from tests.factories import BookingFactory, SessionFactory


def past(days=3):
    return timezone.now() - datetime.timedelta(days=days)


class PastSessionFactory(SessionFactory):
    starts_at = factory.LazyFunction(lambda: past(3))


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(PastSessionFactory)
    pupils = 25
    staff = 2
    recorded_at = factory.LazyFunction(timezone.now)


class TrainingCourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingCourse

    name = factory.Sequence(lambda n: f"CSE awareness for licensed drivers {n}")
    slug = factory.Sequence(lambda n: f"cse-awareness-{n}")
    sector = Sector.TAXI_PRIVATE_HIRE
    renewal_months = 36


class TrainingRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingRecord

    course = factory.SubFactory(TrainingCourseFactory)
    name = factory.Sequence(lambda n: f"Driver Example {n}")
    email = factory.Sequence(lambda n: f"driver{n}@example.org")
    licence_number = factory.Sequence(lambda n: f"PH{n:05d}")
    sector = Sector.TAXI_PRIVATE_HIRE
    completed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    valid_until = factory.LazyAttribute(lambda o: o.completed_on + datetime.timedelta(days=3 * 365))
    verification_code = factory.LazyFunction(new_verification_code)


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    name = factory.Sequence(lambda n: f"Licensed drivers {n}")
    sector = Sector.TAXI_PRIVATE_HIRE


class CohortMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CohortMember

    cohort = factory.SubFactory(CohortFactory)
    name = factory.Sequence(lambda n: f"Member Example {n}")
    email = factory.Sequence(lambda n: f"member{n}@example.org")
    sector = Sector.TAXI_PRIVATE_HIRE


class ReachBookingFactory(BookingFactory):
    """A confirmed organisation booking (adults and guests default to none)."""

    adults = 0
    guests = 0
