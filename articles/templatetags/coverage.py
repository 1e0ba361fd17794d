from hashlib import md5

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def machine_time(value):
    """A time as an HTML-valid `datetime` attribute: ISO 8601 to the second, with offset."""
    if not value:
        return ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


class CachedCardNode(template.Node):
    def __init__(self, article, variant, nodelist):
        self.article, self.variant, self.nodelist = article, variant, nodelist

    def render(self, context):
        from articles.cache_keys import card_keys
        from coverage_site.page_cache import cached_fragment

        article = self.article.resolve(context)
        request = context.get("request")
        if request is None or getattr(request, "public_page", None) is None:
            return self.nodelist.render(context)
        variant = "|".join(str(part.resolve(context)) for part in self.variant)
        digest = md5(variant.encode(), usedforsecurity=False).hexdigest()[:12]
        return cached_fragment(
            request,
            f"card:{article.pk}:{digest}",
            lambda: self.nodelist.render(context),
            lambda _html: card_keys([article]),
            timeless=True,
        )


@register.tag
def cached_card(parser, token):
    """{% cached_card article heading_level ... %}…{% endcached_card %}: an article card's HTML,
    kept in the page cache's backend until the article, its topics or its byline change
    (`card_keys`). The values after the article name the card's variant; what is inside must
    depend on nothing else, and nothing about the request."""
    article, *variant = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endcached_card",))
    parser.delete_first_token()
    return CachedCardNode(article, variant, nodelist)
