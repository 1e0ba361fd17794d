"""WSGI entry point, served by gunicorn (see gunicorn.conf.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coverage_site.settings")

application = get_wsgi_application()

# Web processes bound every database call, so a hung database costs a 503, not a stuck worker.
from coverage_site.db import deadlines  # noqa: E402

deadlines.enable()
