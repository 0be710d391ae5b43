"""The Celery application: settings under the CELERY_ namespace, tasks discovered in every installed app."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("townhall")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
