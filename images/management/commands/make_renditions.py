from django.core.management.base import BaseCommand

from images.models import Image
from images.renditions import SHAPES


class Command(BaseCommand):
    help = (
        "Make the renditions an image is missing (after a new size or shape is added to "
        "images/renditions.py), or all of them again with --all."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="remake every image's renditions")

    def handle(self, *args, **options):
        made = 0
        for image in Image.objects.with_renditions().iterator(chunk_size=100):
            shapes = {rendition.shape for rendition in image.renditions.all()}
            if options["all"] or not set(SHAPES) <= shapes:
                image.make_renditions()
                made += 1
        self.stdout.write(f"Made renditions for {made} image{'s' if made != 1 else ''}.")
