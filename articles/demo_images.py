"""Lead graphics for the demo articles, drawn with Pillow: typographic explainer cards and a
schematic route, built from the demo copy's own figures (no photographs are invented)."""

import io

from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from images.models import Image
from images.processing import clean_upload

WIDTH, HEIGHT = 2400, 1600
INK, PAPER, ACCENT, MUTED = (26, 26, 26), (246, 243, 236), (138, 28, 28), (90, 90, 90)
CREDIT = "Coverage graphics"


def font(size):
    try:
        return ImageFont.truetype("DejaVuSans.ttf", size)
    except OSError:
        return ImageFont.load_default(size=size)


def text(draw, position, words, size, fill):
    face = font(size)
    if "DejaVu" not in str(getattr(face, "path", "")):
        words = words.replace("–", "-")  # the fallback font has no en dash
    draw.text(position, words, font=face, fill=fill)


def card(kicker, figure, lines):
    picture = PILImage.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, 0, WIDTH, 40), fill=ACCENT)
    text(draw, (160, 260), kicker.upper(), 64, ACCENT)
    text(draw, (150, 380), figure, 330, INK)
    for number, line in enumerate(lines):
        text(draw, (160, 860 + number * 110), line, 80, MUTED)
    return picture


def route():
    """The International North–South Transport Corridor, as a schematic line."""
    picture = PILImage.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(picture)
    stops = [("Mumbai", (1650, 1350)), ("Bandar Abbas", (1250, 1000)),
             ("Tehran", (1050, 700)), ("Baku", (800, 480)), ("Moscow", (620, 170))]  # fmt: skip
    draw.line([point for _, point in stops], fill=ACCENT, width=22, joint="curve")
    for name, (x, y) in stops:
        draw.ellipse((x - 34, y - 34, x + 34, y + 34), fill=PAPER, outline=INK, width=12)
        text(draw, (x + 70, y - 40), name, 78, INK)
    text(draw, (150, 1380), "North–South corridor (schematic)", 64, MUTED)
    return picture


GRAPHICS = {
    "putin-in-delhi-an-old-partnership-tries-new-arithmetic": (
        lambda: card("India–Russia trade, 2024", "$63.6bn", ["Mostly Indian imports of",
                                                              "discounted Russian crude"]),
        "Explainer card: India–Russia trade reached about 63.6 billion dollars in 2024, "
        "mostly Indian imports of discounted Russian crude oil.",
        "Trade has surged, and so has India's deficit.",
        (0.3, 0.4),
    ),
    "why-india-wants-more-s-400-regiments": (
        lambda: card("S-400: what is on the table", "2–3", ["more regiments, with up to",
                                                             "50% technology transfer"]),
        "Explainer card: two to three more S-400 regiments, with up to 50 per cent "
        "technology transfer offered.",
        "The offer Russia is reported to have made.",
        (0.3, 0.4),
    ),
    "instc-the-long-road-north-for-india-russia-trade": (
        route,
        "Schematic map of the North–South corridor from Mumbai through Bandar Abbas, Tehran "
        "and Baku to Moscow.",
        "The corridor's route, simplified.",
        (0.5, 0.45),
    ),
}  # fmt: skip


def lead_graphic(slug):
    """A library image for the demo article `slug`, or None if it has no graphic."""
    if slug not in GRAPHICS:
        return None
    draw, alt_text, caption, (focal_x, focal_y) = GRAPHICS[slug]
    out = io.BytesIO()
    draw().resize((1920, 1280), PILImage.Resampling.LANCZOS).save(out, "PNG")
    out.seek(0)
    out.size = len(out.getvalue())
    image = Image(
        alt_text=alt_text, caption=caption, credit=CREDIT, focal_x=focal_x, focal_y=focal_y
    )
    image.store_clean(clean_upload(out))
    image.save()
    return image
