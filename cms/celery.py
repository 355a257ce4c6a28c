"""The Celery app: configured from Django settings under the CELERY_ namespace, tasks autodiscovered."""

import os

from celery import Celery
from kombu.transport import TRANSPORT_ALIASES

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

# The embedded default's broker: a folder of message files, safe for several readers and writers.
TRANSPORT_ALIASES.setdefault("embedded", "cms.embedded_broker:Transport")

app = Celery("cms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
