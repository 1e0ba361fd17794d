"""The benchmark's floor: the cheapest page Django can serve, mounted only for `make bench`."""

from django.http import HttpResponse

FLOOR_PAGE = "<!DOCTYPE html><title>floor</title><p>floor</p>"


def floor_view(request):
    """A fixed small page, through the same middleware as every other page."""
    return HttpResponse(FLOOR_PAGE)
