from django.contrib import admin
from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from images.forms import ImageForm
from images.models import Image, Rendition


def thumbnail(image, width=120, css_class="image-thumbnail"):
    rendition = image.rendition("wide", "jpeg", width) or image.rendition("natural", "jpeg")
    if rendition is None:
        return "—"
    return format_html(
        '<img class="{}" src="{}" width="{}" height="{}" alt="">',
        css_class, rendition.url, width, round(width * rendition.height / rendition.width),
    )  # fmt: skip


def admin_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm
    list_display = ["preview", "label", "credit", "dimensions", "uses", "created_at"]
    list_display_links = ["preview", "label"]
    search_fields = ["alt_text", "caption", "credit"]
    list_filter = ["is_decorative", "created_at"]
    date_hierarchy = "created_at"
    readonly_fields = ["focal_point_picker", "where_used", "file_details"]
    list_per_page = 50

    fieldsets = [
        (None, {"fields": ["file", "file_details"]}),
        ("Words", {"fields": ["alt_text", "is_decorative", "caption", "credit"]}),
        ("Rights", {"fields": ["source_url", "licence"]}),
        (
            "Focal point",
            {
                "fields": ["focal_point_picker", "focal_x", "focal_y"],
                "description": "Every crop (thumbnails, social cards) keeps this point in frame. "
                "Click the picture to set it, or type two numbers from 0 to 1.",
            },
        ),
        ("Where used", {"fields": ["where_used"]}),
    ]

    class Media:
        js = ["images/focal-point.js"]
        css = {"all": ["images/admin.css"]}

    def get_queryset(self, request):
        thumbnails = Rendition.objects.filter(shape__in=["wide", "natural"], format="jpeg")
        queryset = (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("renditions", queryset=thumbnails))
        )
        return queryset.annotate(
            lead_uses=Count("lead_of_articles", distinct=True),
            figure_uses=Count("figure_links", distinct=True),
            photo_uses=Count("profiles", distinct=True),
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="picture")
    def preview(self, image):
        return thumbnail(image)

    @admin.display(description="alt text or caption", ordering="alt_text")
    def label(self, image):
        return image.alt_text or image.caption or "(decorative)"

    @admin.display(description="size")
    def dimensions(self, image):
        return f"{image.width} × {image.height}"

    @admin.display(description="used")
    def uses(self, image):
        total = image.lead_uses + image.figure_uses + image.photo_uses
        return f"{total} place{'s' if total != 1 else ''}" if total else "not used"

    @admin.display(description="file")
    def file_details(self, image):
        if not image.pk:
            return "Location and camera data are removed from every upload."
        return (
            f"{image.width} × {image.height} pixels, {image.file_size / 1024:.0f} KB, "
            f"{Rendition.objects.filter(image=image).count()} renditions. "
            "Camera and location data removed."
        )

    @admin.display(description="picture")
    def focal_point_picker(self, image):
        if not image.pk:
            return "Save the image first; then click it here to set its focal point."
        rendition = image.rendition("natural", "jpeg", 640)
        if rendition is None:
            return "—"
        return format_html(
            '<div class="focal-point" data-focal-point data-focal-x-input="id_focal_x" '
            'data-focal-y-input="id_focal_y">'
            '<img src="{}" width="{}" height="{}" alt="The picture; click to set its focal point">'
            '<span class="focal-point-marker" aria-hidden="true"></span></div>'
            '<p class="help">Click the picture where the subject is; the numbers below follow. '
            "Without JavaScript, type them.</p>",
            rendition.url, rendition.width, rendition.height,
        )  # fmt: skip

    @admin.display(description="used in")
    def where_used(self, image):
        if not image.pk:
            return "—"
        uses = [
            (admin_url(article), f"Lead image of “{article.headline}”")
            for article in image.lead_of_articles.only("id", "headline")
        ]
        uses += [
            (admin_url(link.article), f"Figure in “{link.article.headline}”")
            for link in image.figure_links.select_related("article")
        ]
        uses += [
            (admin_url(profile), f"Photo of {profile.display_name}")
            for profile in image.profiles.select_related("user")
        ]
        if not uses:
            return "Not used anywhere yet."
        return format_html(
            "<ul>{}</ul>", format_html_join("", '<li><a href="{}">{}</a></li>', uses)
        )
