"""The image library: safe uploads in the admin, metadata stripped, renditions made once and
served with long caching, focal-point crops, thumbnails and “where used”."""

import io
import json
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from PIL import Image as PILImage

from images.models import Image, Rendition
from images.renditions import SHAPES, crop_box
from tests.browser_forms import form_data
from tests.factories import make_article, make_image, picture_bytes, upload

pytestmark = pytest.mark.django_db

GPS_SECRET = "Lat 55.7558 Lon 37.6173 secret"
XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
    b"<rdf:Description photographer-home='Flat 4, Moscow'/></x:xmpmeta><?xpacket end='w'?>"
)


def camera_jpeg(width=96, height=64, orientation=None):
    """A JPEG as a phone writes it: GPS position, camera make, orientation, XMP, a comment."""
    exif = PILImage.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0131] = "CameraApp 1.0"  # Software
    if orientation:
        exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (55.0, 45.0, 20.88)
    gps[3], gps[4] = "E", (37.0, 37.0, 2.28)
    gps[27] = GPS_SECRET.encode()  # GPSProcessingMethod, a string we can look for
    return picture_bytes(
        width, height, exif=exif.tobytes(), comment=b"shot at home", xmp=XMP, quality=90
    )


def image_form(client, url=None, **changes):
    html = client.get(url or reverse("admin:images_image_add")).text
    return {**form_data(html, "image_form"), **changes}


def post_upload(client, content, name="photo.jpg", **changes):
    data = image_form(client, alt_text="Two leaders at a summit", credit="A. Photographer / Agency")
    data.update(changes)
    data["file"] = upload(content, name)
    return client.post(reverse("admin:images_image_add"), data)


def stored_files():
    return sorted(p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())


def assert_no_metadata(data):
    assert b"Exif\x00\x00" not in data
    assert GPS_SECRET.encode() not in data
    assert b"PhoneMaker" not in data and b"CameraApp" not in data
    assert b"xmpmeta" not in data and b"Moscow" not in data
    assert b"shot at home" not in data
    picture = PILImage.open(io.BytesIO(data))
    assert not dict(picture.getexif())
    assert not {"exif", "xmp", "comment", "XML:com.adobe.xmp"} & set(picture.info)


def form_errors(response):
    return response.context["adminform"].form.errors


# Uploading


def test_writer_uploads_a_phone_photo_and_nothing_served_keeps_its_location(writer_client, writer):
    response = post_upload(writer_client, camera_jpeg())
    assert response.status_code == 302, form_errors(response)
    image = Image.objects.get()
    assert image.uploaded_by == writer
    assert (image.width, image.height) == (96, 64)
    with image.file.open("rb") as handle:
        assert_no_metadata(handle.read())
    renditions = list(image.renditions.all())
    assert {r.format for r in renditions} == {"avif", "jpeg"}
    assert {r.shape for r in renditions} == set(SHAPES)
    for rendition in renditions:
        served = writer_client.get(rendition.url)
        assert served.status_code == 200, rendition.url
        assert_no_metadata(b"".join(served.streaming_content))


def test_exif_orientation_is_applied_before_the_metadata_goes(editor_client):
    # Orientation 6: the camera was turned; the picture must be shown rotated a quarter turn.
    response = post_upload(editor_client, camera_jpeg(96, 64, orientation=6))
    assert response.status_code == 302, form_errors(response)
    image = Image.objects.get()
    assert (image.width, image.height) == (64, 96)


def test_png_with_transparency_keeps_it_in_avif_and_gets_white_behind_the_jpeg(editor_client):
    content = picture_bytes(80, 80, "PNG", colour=(10, 120, 200, 0))
    response = post_upload(editor_client, content, "chart.png", is_decorative="on", alt_text="")
    assert response.status_code == 302, form_errors(response)
    image = Image.objects.get()
    assert image.file.name.endswith(".png") and image.alt == ""
    jpeg = image.rendition("square", "jpeg")
    with jpeg.file.open("rb") as handle:
        assert PILImage.open(handle).convert("RGB").getpixel((5, 5)) == (255, 255, 255)


@pytest.mark.parametrize("fmt,name", [("WEBP", "pic.webp"), ("AVIF", "pic.avif")])
def test_webp_and_avif_are_accepted(editor_client, fmt, name):
    response = post_upload(editor_client, picture_bytes(50, 40, fmt), name)
    assert response.status_code == 302, form_errors(response)
    assert Image.objects.get().width == 50


def bomb_png(width=60_000, height=60_000):
    """A tiny PNG whose header claims billions of pixels."""
    data = bytearray(picture_bytes(1, 1, "PNG"))
    ihdr = data.index(b"IHDR")
    data[ihdr + 4 : ihdr + 12] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[ihdr : ihdr + 17]))
    data[ihdr + 17 : ihdr + 21] = struct.pack(">I", crc)
    return bytes(data)


def truncated_jpeg():
    whole = picture_bytes(400, 300, quality=95)
    return whole[: len(whole) // 2]


REFUSALS = {
    "decompression bomb": (bomb_png, "bomb.png", "decompression bomb"),
    "over the pixel cap": (lambda: bomb_png(9000, 9000), "big.png", "megapixels"),
    "svg": (
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
        "logo.svg",
        "not a JPEG, PNG, WebP or AVIF image",
    ),
    "html named .jpg": (
        lambda: b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>",
        "photo.jpg",
        "not a JPEG, PNG, WebP or AVIF image",
    ),
    "gif": (lambda: picture_bytes(10, 10, "GIF"), "anim.gif", "not a JPEG, PNG"),
    "truncated jpeg": (truncated_jpeg, "cut.jpg", "damaged or incomplete"),
    "30 MB file": (lambda: b"\xff\xd8\xff" + b"\0" * (30 * 1024 * 1024), "huge.jpg", "25 MB"),
}


@pytest.mark.parametrize("case", REFUSALS, ids=list(REFUSALS))
def test_bad_uploads_are_form_errors_and_store_nothing(writer_client, case):
    make_content, name, message = REFUSALS[case]
    before = stored_files()
    response = post_upload(writer_client, make_content(), name)
    assert response.status_code == 200
    assert message in " ".join(form_errors(response)["file"])
    assert not Image.objects.exists()
    assert not Rendition.objects.exists()
    assert stored_files() == before


def test_missing_alt_text_is_a_form_error_unless_decorative(writer_client):
    before = stored_files()
    response = post_upload(writer_client, camera_jpeg(), alt_text="   ")
    assert response.status_code == 200
    assert "Describe the picture" in " ".join(form_errors(response)["alt_text"])
    assert not Image.objects.exists() and stored_files() == before
    response = post_upload(writer_client, camera_jpeg(), alt_text="", is_decorative="on")
    assert response.status_code == 302


def test_focal_point_outside_the_picture_is_refused(editor_client):
    response = post_upload(editor_client, camera_jpeg(), focal_x="1.5")
    assert response.status_code == 200
    assert "0 to 1" in " ".join(form_errors(response)["focal_x"])


# Renditions


def test_renditions_are_made_once_and_named_by_their_content(db):
    image = make_image(2400, 1600)
    names = sorted(r.file.name for r in image.renditions.all())
    widths = sorted({r.width for r in image.renditions_of("wide")})
    assert widths == [320, 640, 960, 1280, 1920]
    social = image.rendition("social")
    assert (social.width, social.height) == (1200, 630)
    fixed = {"ld-16x9": (1200, 675), "ld-4x3": (1200, 900), "ld-1x1": (1200, 1200)}
    for shape, size in fixed.items():
        assert (image.rendition(shape).width, image.rendition(shape).height) == size
    image.caption = "A new caption"
    image.save()
    assert sorted(r.file.name for r in image.renditions.all()) == names  # not made again


def test_small_pictures_are_not_enlarged_except_for_fixed_shapes(db):
    image = make_image(500, 300)
    assert [r.width for r in image.renditions_of("wide") if r.format == "jpeg"] == [320]
    assert image.rendition("natural").width == 500
    assert image.rendition("social").width == 1200


def test_crop_keeps_the_focal_point_in_frame():
    # A wide picture cut square around a point near its right edge.
    assert crop_box(3000, 1000, (1, 1), 0.9, 0.5) == (2000, 0, 3000, 1000)
    assert crop_box(3000, 1000, (1, 1), 0.5, 0.5) == (1000, 0, 2000, 1000)
    assert crop_box(1000, 3000, (3, 2), 0.5, 0.05) == (0, 0, 1000, 667)


def test_moving_the_focal_point_in_the_admin_recrops_and_removes_old_files(
    editor_client, django_capture_on_commit_callbacks
):
    picture = PILImage.new("RGB", (900, 300), "white")
    picture.paste((200, 0, 0), (800, 100, 900, 200))  # a red square at the right edge
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=95)
    with django_capture_on_commit_callbacks(execute=True):
        post_upload(editor_client, out.getvalue())
    image = Image.objects.get()
    old = image.rendition("ld-1x1").file.name
    url = reverse("admin:images_image_change", args=[image.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            url, image_form(editor_client, url, focal_x="0.95", focal_y="0.5")
        )
    assert response.status_code == 302
    square = image.rendition("ld-1x1")
    assert square.file.name != old
    assert not Path(settings.MEDIA_ROOT, old).exists()
    with square.file.open("rb") as handle:
        red, green, _ = PILImage.open(handle).convert("RGB").getpixel((1100, 600))
    assert red > 150 and green < 80


# Serving


def test_renditions_are_served_with_type_etag_and_a_year_of_caching(client):
    image = make_image()
    rendition = image.rendition("wide", "avif", 640)
    response = client.get(rendition.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/avif"
    assert "max-age=31536000" in response["Cache-Control"]
    assert "immutable" in response["Cache-Control"] and "public" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert PILImage.open(io.BytesIO(body)).size == (rendition.width, rendition.height)
    again = client.get(rendition.url, headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304
    assert client.head(rendition.url).status_code == 200
    assert client.post(rendition.url).status_code == 405


def test_uploaded_files_and_anything_outside_renditions_are_never_served(client):
    image = make_image()
    assert client.get(settings.MEDIA_URL + image.file.name).status_code == 404
    rendition = image.rendition("wide")
    assert client.get(rendition.url.replace(".jpg", ".png")).status_code == 404
    assert (
        client.get(f"{settings.MEDIA_URL}renditions/{image.pk}/../../etc/passwd").status_code == 404
    )
    missing = rendition.url.replace(rendition.file.name.split(".")[-2], "0" * 16)
    assert client.get(missing).status_code == 404


# The admin


def test_library_list_shows_thumbnails_searches_credits_and_says_where_used(editor_client):
    used = make_image(alt_text="Modi and Putin", credit="Anna Petrova / Reuters")
    make_image(alt_text="A tank on parade", credit="Staff photographer")
    make_article("Summit story", lead_image=used)
    response = editor_client.get(reverse("admin:images_image_changelist"), {"q": "Reuters"})
    assert response.status_code == 200
    assert "Modi and Putin" in response.text and "A tank on parade" not in response.text
    assert used.rendition("wide", "jpeg", 120).url in response.text
    assert "1 place" in response.text
    change = editor_client.get(reverse("admin:images_image_change", args=[used.pk])).text
    assert "Lead image of “Summit story”" in change
    assert 'data-focal-point data-focal-x-input="id_focal_x"' in change
    assert "images/focal-point" in change


def test_an_image_in_use_cannot_be_deleted(editor_client):
    image = make_image()
    make_article("Summit story", lead_image=image)
    url = reverse("admin:images_image_delete", args=[image.pk])
    response = editor_client.post(url, {"post": "yes"})
    assert Image.objects.filter(pk=image.pk).exists()
    assert "Summit story" in response.text


def test_writers_upload_but_only_editors_delete(writer_client):
    image = make_image()
    url = reverse("admin:images_image_delete", args=[image.pk])
    assert writer_client.post(url, {"post": "yes"}).status_code == 403
    assert Image.objects.filter(pk=image.pk).exists()


def settings_in_subprocess(**environ):
    """The settings a fresh process builds from `environ`."""
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps({'default': settings.STORAGES['default'], "
        "'serve': settings.SERVE_MEDIA, 'urls': [str(p.pattern) for p in "
        "__import__('coverage_site.urls', fromlist=['x']).urlpatterns]}))"
    )
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": "x",
        "DJANGO_SETTINGS_MODULE": "coverage_site.settings",
    }
    env.pop("S3_BUCKET", None)
    env.update(environ)
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_media_is_local_by_default_and_object_storage_is_one_variable_away():
    local = settings_in_subprocess()
    assert local["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert local["serve"] and "media/" in local["urls"]
    s3 = settings_in_subprocess(S3_BUCKET="coverage-media", S3_ENDPOINT_URL="https://s3.example")
    assert s3["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    options = s3["default"]["OPTIONS"]
    assert options["bucket_name"] == "coverage-media"
    assert options["endpoint_url"] == "https://s3.example"
    assert options["querystring_auth"] is False
    assert "immutable" in options["object_parameters"]["CacheControl"]
    assert not s3["serve"] and "media/" not in s3["urls"]


def test_make_renditions_fills_in_what_is_missing():
    from django.core.management import call_command

    complete, incomplete = make_image(), make_image()
    incomplete.renditions.filter(shape="social").delete()
    out = io.StringIO()
    call_command("make_renditions", stdout=out)
    assert out.getvalue().strip() == "Made renditions for 1 image."
    assert incomplete.rendition("social").width == 1200
    assert complete.renditions.count() == incomplete.renditions.count()


def test_upload_from_the_article_forms_plus_popup_returns_the_new_image(writer_client):
    """The article form's “+” next to the lead image opens this form as a popup."""
    url = reverse("admin:images_image_add") + "?_to_field=id&_popup=1"
    data = image_form(writer_client, url, alt_text="Delegates", _popup="1", _to_field="id")
    data["file"] = upload(camera_jpeg())
    response = writer_client.post(url, data)
    image = Image.objects.get()
    assert response.status_code == 200
    assert "django-admin-popup-response-constants" in response.text
    assert f"&quot;value&quot;: &quot;{image.pk}&quot;" in response.text
