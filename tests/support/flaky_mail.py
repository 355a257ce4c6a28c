"""FOR TESTS ONLY: an email backend that fails the first sends of each recipient, to test retries.

A worker started with TEST_WORKER_EMAIL_BACKEND=tests.support.flaky_mail.FlakyOutboxBackend and
TEST_WORKER_FAIL_FIRST=N answers the first N sends to each address with a provider API error,
counted in Redis (TEST_REDIS_URL) so every worker thread and retry sees the same count.
"""

import os

import redis
from anymail.exceptions import AnymailAPIError

from cms.mail import OutboxEmailBackend


class FlakyOutboxBackend(OutboxEmailBackend):
    def post_to_esp(self, payload, message):
        failures = int(os.environ.get("TEST_WORKER_FAIL_FIRST", "0"))
        if failures:
            counter = redis.Redis.from_url(os.environ["TEST_REDIS_URL"])
            tries = counter.incr(f"test-flaky-mail:{','.join(payload.recipient_emails)}")
            if tries <= failures:
                # No status code: like a connection error, which the pipeline treats as transient.
                raise AnymailAPIError("Provider temporarily unavailable (injected by the test)")
        return super().post_to_esp(payload, message)
