import io
import posixpath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Q
from PIL import Image as PILImage

from coverage_site.text import CleanCharField
from images import renditions

ORIGINALS_DIR = "images"
RENDITIONS_DIR = "renditions"


class ImageQuerySet(models.QuerySet):
    def with_renditions(self):
        return self.prefetch_related("renditions")


class Image(models.Model):
    """A picture in the library: its file (stripped of metadata), the words that go with it, and
    the point that every crop keeps in frame."""

    file = models.FileField(
        upload_to=ORIGINALS_DIR,
        max_length=255,
        help_text="JPEG, PNG, WebP or AVIF. Location and camera data are removed on upload.",
    )
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    alt_text = CleanCharField(
        "alt text",
        max_length=300,
        blank=True,
        help_text="What the picture shows, for readers who cannot see it (“Narendra Modi and "
        "Vladimir Putin shake hands in front of both flags”). Required unless decorative.",
    )
    is_decorative = models.BooleanField(
        "decorative",
        default=False,
        help_text="Tick only if the picture adds nothing a reader would miss; screen readers "
        "then skip it.",
    )
    caption = CleanCharField(
        max_length=500, blank=True, help_text="Shown under the picture wherever it is used."
    )
    credit = CleanCharField(
        max_length=200,
        blank=True,
        help_text="Photographer and agency, e.g. “Anna Petrova / Reuters”.",
    )
    source_url = models.URLField("source", max_length=500, blank=True)
    licence = CleanCharField(
        max_length=300, blank=True, help_text="Licence or terms of use, for the desk's records."
    )
    focal_x = models.FloatField(
        "focal point across",
        default=0.5,
        help_text="0 is the left edge, 1 the right. Crops keep this point in frame.",
    )
    focal_y = models.FloatField(
        "focal point down", default=0.5, help_text="0 is the top edge, 1 the bottom."
    )
    file_size = models.PositiveIntegerField(editable=False, default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"
        constraints = [
            models.CheckConstraint(
                condition=Q(is_decorative=True) | ~Q(alt_text=""),
                name="image_alt_text_unless_decorative",
                violation_error_message="Describe the picture in the alt text, or tick "
                "“decorative” if it adds nothing a reader would miss.",
            ),
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="image_focal_point_inside",
                violation_error_message="The focal point runs from 0 to 1 across and down.",
            ),
        ]

    def __str__(self):
        label = self.alt_text or self.caption or "Decorative image"
        return f"{label[:80]} ({self.width}×{self.height})"

    def save(self, *args, **kwargs):
        previous = None
        if self.pk:
            previous = (
                Image.objects.filter(pk=self.pk).values_list("file", "focal_x", "focal_y").first()
            )
        super().save(*args, **kwargs)
        if previous != (self.file.name, self.focal_x, self.focal_y):
            self.make_renditions()
        if previous and previous[0] != self.file.name:
            transaction.on_commit(lambda: default_storage.delete(previous[0]))

    @property
    def alt(self):
        """The alt attribute: empty for a decorative picture."""
        return "" if self.is_decorative else self.alt_text

    def store_clean(self, clean):
        """Keep `clean` (a processing.CleanImage) as this image's file; the caller saves."""
        self.file = ContentFile(clean.content, name=f"{clean.sha256[:20]}.{clean.extension}")
        self.width, self.height, self.file_size = clean.width, clean.height, len(clean.content)

    def open_picture(self):
        with self.file.open("rb") as handle:
            picture = PILImage.open(io.BytesIO(handle.read()))
            picture.load()
        return picture

    @transaction.atomic
    def make_renditions(self):
        """(Re)make every rendition from the stored file, around the current focal point."""
        old = list(Rendition.objects.filter(image=self))
        made = renditions.make_all(self.open_picture(), self.focal_x, self.focal_y)
        new_names = set()
        rows = []
        for item in made:
            name = posixpath.join(
                RENDITIONS_DIR, str(self.pk), f"{item.spec}.{item.digest}.{item.extension}"
            )
            if not default_storage.exists(name):
                name = default_storage.save(name, ContentFile(item.content))
            new_names.add(name)
            rows.append(
                Rendition(
                    image=self, spec=item.spec, shape=item.shape, format=item.fmt,
                    width=item.width, height=item.height, file=name, size=len(item.content),
                )
            )  # fmt: skip
        Rendition.objects.filter(image=self).delete()
        Rendition.objects.bulk_create(rows)
        stale = [r.file.name for r in old if r.file.name not in new_names]
        transaction.on_commit(lambda: [default_storage.delete(name) for name in stale])
        if hasattr(self, "_prefetched_objects_cache"):
            self._prefetched_objects_cache.pop("renditions", None)

    def renditions_of(self, shape):
        """This image's renditions of `shape`, smallest first (from prefetched rows if any)."""
        found = [r for r in self.renditions.all() if r.shape == shape]
        return sorted(found, key=lambda r: (r.width, r.format))

    def rendition(self, shape, fmt="jpeg", width=None):
        """The rendition of `shape` in `fmt` nearest above `width` (the largest if None)."""
        candidates = [r for r in self.renditions_of(shape) if r.format == fmt]
        if not candidates:
            return None
        if width is None:
            return candidates[-1]
        return next((r for r in candidates if r.width >= width), candidates[-1])


class Rendition(models.Model):
    """One size and shape of an image, made once and kept, named by a hash of its bytes."""

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="renditions")
    spec = models.CharField(max_length=40, help_text="shape-width-format, e.g. wide-640-avif")
    shape = models.CharField(max_length=20)
    format = models.CharField(max_length=10)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    file = models.FileField(max_length=255)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["shape", "width", "format"]
        constraints = [
            models.UniqueConstraint(fields=["image", "spec"], name="rendition_unique_spec"),
        ]

    def __str__(self):
        return self.file.name

    @property
    def url(self):
        return self.file.url

    @property
    def mime_type(self):
        return renditions.FORMATS[self.format][2]
