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


def kept_card(request, article, variant, render):
    """An article card's HTML, `render()`ed only if not kept in the page cache's backend under
    the card's keys (`card_keys`: the article, its topics, its byline). `variant` names what
    else the HTML depends on (heading level, image sizes): nothing about the request."""
    from articles.cache_keys import card_keys
    from coverage_site.page_cache import cached_fragment

    if request is None or getattr(request, "public_page", None) is None:
        return render()
    variant = "|".join(str(part) for part in variant)
    digest = md5(variant.encode(), usedforsecurity=False).hexdigest()[:12]
    return cached_fragment(
        request,
        f"card:{article.pk}:{digest}",
        render,
        lambda _html: card_keys([article]),
        timeless=True,
    )


@register.simple_tag(takes_context=True)
def article_card(context, article, heading_level=3, image_sizes="", hide_standfirst=False):
    """{% article_card article heading_level=2 %}: includes/article_card.html for `article`,
    kept as HTML (`kept_card`), so a kept card costs no template rendering at all."""
    values = {
        "article": article,
        "heading_level": heading_level,
        "image_sizes": image_sizes,
        "hide_standfirst": hide_standfirst,
    }

    def render():
        card = context.template.engine.get_template("includes/article_card.html")
        return card.render(context.new(values))

    return kept_card(context.get("request"), article, values.values(), render)


class CachedCardNode(template.Node):
    def __init__(self, article, variant, nodelist):
        self.article, self.variant, self.nodelist = article, variant, nodelist

    def render(self, context):
        article = self.article.resolve(context)
        variant = [part.resolve(context) for part in self.variant]
        return kept_card(
            context.get("request"), article, variant, lambda: self.nodelist.render(context)
        )


@register.tag
def cached_card(parser, token):
    """{% cached_card article "lead" ... %}…{% endcached_card %}: a card written in place (the
    home page's lead story, a topic's latest), kept as `kept_card` keeps it. The values after the
    article name the card's variant; what is inside must depend on nothing else, and nothing
    about the request."""
    article, *variant = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endcached_card",))
    parser.delete_first_token()
    return CachedCardNode(article, variant, nodelist)
