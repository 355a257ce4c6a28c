"""Database rules explain themselves: a form that breaks one says what is wrong, in plain words."""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint, Q
from django.utils import timezone

from tests.factories import CampaignFactory, SessionFactory

GENERIC = CheckConstraint(condition=Q(pk__gt=0), name="x").violation_error_message


def test_every_check_constraint_has_a_message_in_plain_words():
    unexplained = [
        f"{model._meta.label}.{constraint.name}"
        for model in apps.get_models()
        if model._meta.app_label in {"campaigns", "events", "resources", "cms"}
        for constraint in model._meta.constraints
        if isinstance(constraint, CheckConstraint) and constraint.violation_error_message == GENERIC
    ]
    assert unexplained == []


@pytest.mark.django_db
def test_model_validation_gives_the_plain_message():
    campaign = CampaignFactory.build(starts_on=datetime.date(2027, 1, 10), ends_on=datetime.date(2027, 1, 9))
    with pytest.raises(ValidationError, match="The campaign must end on or after the day it starts."):
        campaign.validate_constraints()

    session = SessionFactory()
    session.ends_at = session.starts_at - datetime.timedelta(minutes=1)
    with pytest.raises(ValidationError, match="A session must end after it starts."):
        session.validate_constraints()
    session.ends_at = timezone.now() + datetime.timedelta(days=30)
    session.places_taken = session.capacity + 1
    with pytest.raises(ValidationError, match="cannot be below the places already taken"):
        session.validate_constraints()
