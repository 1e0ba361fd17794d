"""The benchmark's floor: the cheapest page Django can serve, mounted only for `make bench`."""

from django.http import HttpResponse

FLOOR_PAGE = "<!DOCTYPE html><title>floor</title><p>floor</p>"


MAX_PADDING = 100_000


def floor_view(request):
    """A fixed small page, through the same middleware as every other page; `?bytes=N` pads it
    to N bytes (at most 100 KB), to tell what carrying a page's weight costs from the rest."""
    size = request.GET.get("bytes", "")
    padding = min(int(size), MAX_PADDING) - len(FLOOR_PAGE) if size.isdigit() else 0
    return HttpResponse(FLOOR_PAGE + " " * max(0, padding))
