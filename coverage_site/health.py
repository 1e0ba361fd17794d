"""Fault handling readers and load balancers see: a 503 when the database is unavailable, and
`/healthz` naming which dependency failed."""

import logging
import sys
import time

from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe
from django.views.defaults import server_error as django_server_error

from coverage_site.db.deadlines import deadline

logger = logging.getLogger("coverage_site.health")

# How long a reader (or a load balancer) is asked to wait before trying again.
RETRY_AFTER_SECONDS = 30
HEALTH_TIMEOUT = 2.0


def database_unavailable(error):
    return isinstance(error, OperationalError | InterfaceError)


def server_error(request, *args, **kwargs):
    """The 500 handler: a database that is down or hung is a 503 the reader can retry, not a 500.

    The page is rendered without touching the database, with no detail of the error.
    """
    error = sys.exc_info()[1]
    if not database_unavailable(error):
        return django_server_error(request, *args, **kwargs)
    logger.error("Database unavailable: %s: %s", type(error).__name__, str(error).splitlines()[0])
    return unavailable_response()


def unavailable_response():
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def check_database():
    try:
        with deadline(HEALTH_TIMEOUT), connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        connection.close_if_unusable_or_obsolete()
        return f"unavailable ({type(error).__name__})"
    return "ok"


def check_cache():
    probe = f"healthz:{time.time_ns()}"
    if hasattr(cache, "is_available") and not cache.is_available():
        return "unavailable (failed in the last few seconds)"
    cache.set(probe, 1, timeout=5)
    if cache.get(probe) != 1:
        return "unavailable"
    cache.delete(probe)
    return "ok"


@require_safe
def healthz(request):
    """200 {"database": "ok", "cache": "ok"} when both answer; 503 naming what failed otherwise."""
    report = {"database": check_database(), "cache": check_cache()}
    healthy = all(state == "ok" for state in report.values())
    response = JsonResponse(report, status=200 if healthy else 503)
    add_never_cache_headers(response)
    if not healthy:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
