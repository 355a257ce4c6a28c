"""schemathesis against the partner API's own OpenAPI schema: every generated request, valid or not, gets an
answer that matches the schema and never a 500."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from campaigns.partner_api.services import issue_token
from cms.wsgi import application
from tests.factories import BookingFactory, CampaignFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keep_test_connection_open():
    """Like Django's test client: requests made in-process must not close the test's database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token():
    session = SessionFactory()
    campaign = CampaignFactory()
    campaign.events.add(session.event)
    BookingFactory(session=session, campaign=campaign)
    _, raw = issue_token("Fuzzing partner")
    return raw


def test_partner_api_matches_its_schema_and_never_fails(token):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations, "the schema lists no operations"
    for operation in operations:

        @settings(max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def check(case):
            # A date range that ends before it starts is well-formed but refused with 422 and a reason,
            # so the "schema-valid data is accepted" check does not apply; every other check does.
            case.call_and_validate(
                headers={"Authorization": f"Bearer {token}"}, excluded_checks=[positive_data_acceptance]
            )

        check()
