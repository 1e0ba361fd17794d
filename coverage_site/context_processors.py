from django.conf import settings
from django.templatetags.static import static


def site(request):
    """The publication's name, tagline and logo, from settings (no queries)."""
    logo = settings.SITE_LOGO
    return {
        "site": {
            "name": settings.SITE_NAME,
            "tagline": settings.SITE_TAGLINE,
            "logo_url": logo if "://" in logo else static(logo),
        }
    }
