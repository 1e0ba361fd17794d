"""The HTML for a library image on a page: <picture> with srcset, sizes and dimensions."""

from django.utils.html import format_html, format_html_join

from images.renditions import FORMATS, MODERN


def srcset(renditions):
    return ", ".join(f"{r.url} {r.width}w" for r in renditions)


def picture_html(image, shape, sizes, *, alt=None, lazy=True, priority=False, default_width=640):
    """A <picture>: a modern-format <source> and a JPEG <img> with its width and height, so the
    page does not shift as it loads. Empty if the image has no renditions of `shape`."""
    renditions = image.renditions_of(shape)
    jpegs = [r for r in renditions if r.format == "jpeg"]
    modern = [r for r in renditions if r.format == MODERN]
    if not jpegs:
        return ""
    fallback = next((r for r in jpegs if r.width >= default_width), jpegs[-1])
    attributes = [
        ("src", fallback.url),
        ("srcset", srcset(jpegs)),
        ("sizes", sizes),
        ("width", fallback.width),
        ("height", fallback.height),
        ("alt", image.alt if alt is None else alt),
        ("decoding", "async"),
    ]
    if priority:
        attributes.append(("fetchpriority", "high"))
    elif lazy:
        attributes.append(("loading", "lazy"))
    source = (
        format_html(
            '<source type="{}" srcset="{}" sizes="{}">', FORMATS[MODERN][2], srcset(modern), sizes
        )
        if modern
        else ""
    )
    return format_html(
        "<picture>{}<img {}></picture>",
        source,
        format_html_join(" ", '{}="{}"', attributes),
    )


def figure_html(image, shape, sizes, *, caption="", alt=None, css_class="figure", **options):
    """A <figure>: the picture, then its caption and credit."""
    picture = picture_html(image, shape, sizes, alt=alt, **options)
    if not picture:
        return ""
    parts = []
    if caption:
        parts.append(format_html('<span class="caption">{}</span>', caption))
    if image.credit:
        parts.append(format_html('<span class="credit">{}</span>', image.credit))
    figcaption = (
        format_html(
            "<figcaption>{}</figcaption>", format_html_join(" ", "{}", ((p,) for p in parts))
        )
        if parts
        else ""
    )
    return format_html('<figure class="{}">{}{}</figure>', css_class, picture, figcaption)
