"""The sizes and shapes the site shows an image in, and how each one is cut and encoded.

Every rendition is cut around the image's focal point, made once (when the image is uploaded or
its focal point moves), and stored under a name that carries a hash of its bytes, so browsers
and CDNs may keep it for a year.
"""

import hashlib
import io
from dataclasses import dataclass

from PIL import Image as PILImage

FORMATS = {
    # name: (Pillow format, extension, MIME type, save options)
    "avif": ("AVIF", "avif", "image/avif", {"quality": 55, "speed": 8}),
    "webp": ("WEBP", "webp", "image/webp", {"quality": 78, "method": 4}),
    "jpeg": ("JPEG", "jpg", "image/jpeg", {"quality": 82, "optimize": True, "progressive": True}),
}
EXTENSION_TYPES = {extension: mime for _, extension, mime, _ in FORMATS.values()}
MODERN = "avif"  # offered in <source> before the JPEG fallback; see README "Images"


@dataclass(frozen=True)
class Shape:
    """A shape the site uses: an aspect ratio (None keeps the picture's own) and its widths."""

    name: str
    ratio: tuple | None
    widths: tuple
    formats: tuple = (MODERN, "jpeg")
    exact: bool = False  # always exactly widths × ratio, enlarging a small picture if need be

    def specs(self):
        return [f"{self.name}-{width}-{fmt}" for width in self.widths for fmt in self.formats]


SHAPES = {
    shape.name: shape
    for shape in [
        # Lead figures and card thumbnails (3:2).
        Shape("wide", (3, 2), (320, 640, 960, 1280, 1920)),
        # Figures in article bodies: never cropped.
        Shape("natural", None, (640, 1280)),
        # Author photos.
        Shape("square", (1, 1), (160, 320)),
        # Social cards (Open Graph, Twitter) and search engines' three shapes.
        Shape("social", (40, 21), (1200,), ("jpeg",), exact=True),
        Shape("ld-16x9", (16, 9), (1200,), ("jpeg",), exact=True),
        Shape("ld-4x3", (4, 3), (1200,), ("jpeg",), exact=True),
        Shape("ld-1x1", (1, 1), (1200,), ("jpeg",), exact=True),
    ]
}


def crop_box(width, height, ratio, focal_x, focal_y):
    """The largest box of `ratio` inside width × height, as near centred on the focal point as
    the picture's edges allow. Focal coordinates run from 0 to 1."""
    if ratio is None:
        return (0, 0, width, height)
    rw, rh = ratio
    crop_w = min(width, round(height * rw / rh))
    crop_h = min(height, round(crop_w * rh / rw))
    left = round(focal_x * width - crop_w / 2)
    top = round(focal_y * height - crop_h / 2)
    left = min(max(left, 0), width - crop_w)
    top = min(max(top, 0), height - crop_h)
    return (left, top, left + crop_w, top + crop_h)


def target_sizes(shape, crop_width, crop_height):
    """[(width, height), ...] to make for `shape` from a crop of this size; never enlarged
    unless the shape is exact, and at least one size however small the picture."""
    sizes = []
    for width in shape.widths:
        if not shape.exact and width > crop_width:
            continue
        if shape.exact:
            height = round(width * shape.ratio[1] / shape.ratio[0])
        else:
            height = max(1, round(width * crop_height / crop_width))
        sizes.append((width, height))
    if not sizes:
        sizes.append((crop_width, crop_height))
    return sizes


def encode(picture, fmt):
    pillow_format, extension, _, options = FORMATS[fmt]
    if fmt == "jpeg" and picture.mode == "RGBA":
        flat = PILImage.new("RGB", picture.size, "white")
        flat.paste(picture, mask=picture.getchannel("A"))
        picture = flat
    out = io.BytesIO()
    picture.save(out, pillow_format, **options)
    return out.getvalue(), extension


@dataclass(frozen=True)
class Made:
    spec: str
    shape: str
    fmt: str
    width: int
    height: int
    content: bytes
    extension: str

    @property
    def digest(self):
        return hashlib.sha256(self.content).hexdigest()[:16]


def make_all(picture, focal_x, focal_y, shapes=None):
    """Every rendition of `picture` (an opened, normalised Pillow image), as Made objects."""
    made = []
    for shape in shapes or SHAPES.values():
        box = crop_box(picture.width, picture.height, shape.ratio, focal_x, focal_y)
        cropped = picture.crop(box)
        for width, height in target_sizes(shape, cropped.width, cropped.height):
            resized = (
                cropped
                if (width, height) == cropped.size
                else cropped.resize((width, height), PILImage.Resampling.LANCZOS, reducing_gap=3.0)
            )
            for fmt in shape.formats:
                content, extension = encode(resized, fmt)
                made.append(
                    Made(f"{shape.name}-{width}-{fmt}", shape.name, fmt, width, height,
                         content, extension)
                )  # fmt: skip
    return made
