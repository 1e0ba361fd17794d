from django import template

from images.html import figure_html, picture_html

register = template.Library()


@register.simple_tag
def picture(image, shape, sizes, lazy=True, priority=False, alt=None, default_width=640):
    """{% picture article.lead_image "wide" "(min-width: 50rem) 40rem, 100vw" %}"""
    if image is None:
        return ""
    return picture_html(
        image, shape, sizes, alt=alt, lazy=lazy, priority=priority, default_width=default_width
    )


@register.simple_tag
def figure(image, shape, sizes, caption="", css_class="figure", priority=False):
    if image is None:
        return ""
    return figure_html(
        image, shape, sizes, caption=caption, css_class=css_class, priority=priority, lazy=True
    )
