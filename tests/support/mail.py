"""Email backends for fault tests, used by worker processes the tests start (see cms/settings/test.py)."""

import os
import time

from cms.mail import OutboxEmailBackend


class SlowOutboxBackend(OutboxEmailBackend):
    """Takes TEST_WORKER_SEND_DELAY seconds per message, so a test can kill a worker mid-send."""

    def post_to_esp(self, payload, message):
        time.sleep(float(os.environ.get("TEST_WORKER_SEND_DELAY", "0")))
        return super().post_to_esp(payload, message)
