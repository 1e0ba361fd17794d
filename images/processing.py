"""Turn an uploaded file into a safe image: decoded, checked, upright, and free of metadata.

Nothing the photographer's camera wrote (EXIF, GPS, XMP, comments, maker notes) survives: the
pixels are decoded and encoded again, and only pixels are kept. Colour profiles are converted to
sRGB first, so dropping them does not change the colours.
"""

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "AVIF")
MASTER_JPEG_QUALITY = 90


class ImageRejected(Exception):
    """The upload is not an image we accept; the message says why, for the person uploading."""


@dataclass(frozen=True)
class CleanImage:
    content: bytes
    extension: str
    width: int
    height: int
    source_format: str

    @property
    def sha256(self):
        return hashlib.sha256(self.content).hexdigest()


def max_upload_bytes():
    return settings.IMAGE_MAX_UPLOAD_MB * 1024 * 1024


def max_pixels():
    return settings.IMAGE_MAX_MEGAPIXELS * 1_000_000


def open_checked(upload):
    """Decode `upload` fully, or raise ImageRejected with a message an editor understands."""
    size = getattr(upload, "size", None)
    if size is not None and size > max_upload_bytes():
        raise ImageRejected(
            f"The file is {size / 1024 / 1024:.1f} MB; images may be at most "
            f"{settings.IMAGE_MAX_UPLOAD_MB} MB."
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow warns above MAX_IMAGE_PIXELS and refuses at twice that; both are refusals here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload, formats=ACCEPTED_FORMATS)
            if image.width * image.height > max_pixels():
                raise ImageRejected(too_many_pixels(image.width, image.height))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageRejected(
            "This image declares far more pixels than it could hold (a “decompression bomb”); "
            f"images may be at most {settings.IMAGE_MAX_MEGAPIXELS} megapixels."
        ) from error
    except UnidentifiedImageError as error:
        raise ImageRejected(
            "This file is not a JPEG, PNG, WebP or AVIF image (whatever its name says). "
            "Export it in one of those formats and upload it again."
        ) from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise ImageRejected(
            "The image is damaged or incomplete (it may have been cut off while copying); "
            "upload the file again or export a fresh copy."
        ) from error
    return image


def too_many_pixels(width, height):
    return (
        f"The image is {width} × {height} pixels ({width * height / 1e6:.0f} megapixels); "
        f"images may be at most {settings.IMAGE_MAX_MEGAPIXELS} megapixels."
    )


def to_srgb(image):
    """Convert pixels described by an embedded colour profile to sRGB."""
    icc = image.info.get("icc_profile")
    if not icc:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        target = ImageCms.createProfile("sRGB")
        mode = "RGBA" if "A" in image.getbands() else "RGB"
        return ImageCms.profileToProfile(image, source, target, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # an unreadable profile: keep the pixels as they are


def normalise(image):
    """Upright, sRGB, RGB or RGBA pixels with no metadata attached."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("P", "PA", "LA", "L", "I", "I;16", "F", "1"):
        has_alpha = image.mode in ("PA", "LA") or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
    elif image.mode == "CMYK":
        image = to_srgb(image) if image.info.get("icc_profile") else image
        image = image.convert("RGB")
    else:
        image = to_srgb(image)
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGB")
    if image.mode == "RGBA" and image.getextrema()[3][0] == 255:
        image = image.convert("RGB")  # an alpha channel with nothing transparent
    clean = image.copy()
    clean.info = {}
    return clean


def clean_upload(upload):
    """Check `upload` and return a CleanImage: the picture re-encoded with no metadata at all."""
    original = open_checked(upload)
    source_format = original.format
    try:
        image = normalise(original)
    except (OSError, ValueError, SyntaxError, KeyError, TypeError) as error:
        raise ImageRejected(
            "The image's orientation or colour data cannot be read; export a fresh copy."
        ) from error
    out = io.BytesIO()
    if image.mode == "RGBA":
        image.save(out, "PNG", optimize=False)
        extension = "png"
    else:
        image.save(out, "JPEG", quality=MASTER_JPEG_QUALITY, optimize=True)
        extension = "jpg"
    return CleanImage(out.getvalue(), extension, image.width, image.height, source_format)
