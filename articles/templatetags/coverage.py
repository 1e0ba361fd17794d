from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def machine_time(value):
    """A time as an HTML-valid `datetime` attribute: ISO 8601 to the second, with offset."""
    if not value:
        return ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()
