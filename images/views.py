from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition, require_safe

from images.renditions import EXTENSION_TYPES

YEAR = 365 * 24 * 60 * 60


def rendition_etag(request, image_id, name):
    # The name carries a hash of the file's bytes, so it is a strong validator by itself.
    return name.split(".")[-2]


@require_safe
@condition(etag_func=rendition_etag)
def serve_rendition(request, image_id, name):
    """One rendition from local storage (MEDIA_ROOT): immutable, cached for a year.

    Only renditions are served: uploaded files never are, even though they are stripped too.
    In production a proxy can serve MEDIA_ROOT/renditions/ directly (see README).
    """
    path = f"renditions/{image_id}/{name}"
    try:
        handle = default_storage.open(path, "rb")
    except (FileNotFoundError, IsADirectoryError) as error:
        raise Http404("No such rendition") from error
    response = FileResponse(handle, content_type=EXTENSION_TYPES[name.rsplit(".", 1)[1]])
    patch_cache_control(response, public=True, max_age=YEAR, immutable=True)
    return response
