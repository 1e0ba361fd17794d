"""Small pieces of the security policy that the libraries leave to the project."""

from axes.backends import AxesStandaloneBackend
from django.utils.cache import add_never_cache_headers
from django.views.defaults import page_not_found as django_page_not_found


def page_not_found(request, exception):
    """The 404 page, never stored by a browser or CDN: the article may be public a minute later,
    and a cached 404 must not stand in for it (nor reveal what a staff member looked for)."""
    response = django_page_not_found(request, exception)
    add_never_cache_headers(response)
    return response


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' login throttle, for logins over HTTP. A login without a request (a script,
    the test client's `login()`) has no address to count and cannot be a guessing attack from
    outside, so it is left to the next backend instead of failing."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
