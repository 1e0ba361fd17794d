import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from tqdm import tqdm

import importer
from importer.parsing import SUPPORTED_SUFFIXES
from topics.models import Topic


class Command(BaseCommand):
    help = (
        "Import .txt, .md and .docx files (or folders of them) as article drafts. "
        "Re-importing a file updates its draft; an article that is no longer a draft is never "
        "overwritten. Exits 1 if any file failed, after trying them all."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
        parser.add_argument("--author", help="username whose byline the drafts carry")
        parser.add_argument(
            "--auto-topics",
            action="store_true",
            help="assign the existing topics the copy names (no topic is ever created)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="show what would be imported; change nothing"
        )

    def handle(self, *args, paths, author, auto_topics, dry_run, **options):
        user = self.author(author, dry_run)
        files = self.files(paths)
        known_topics = list(Topic.objects.all())
        failed = 0
        quiet = not (len(files) > 1 and sys.stderr.isatty() and options["verbosity"] > 0)
        for path in tqdm(files, unit="file", disable=quiet, file=sys.stderr, leave=False):
            try:
                imported = importer.parse(path.read_bytes(), path.name, known_topics=known_topics)
                if dry_run:
                    verb = "would import"
                    link = ""
                else:
                    article, created = importer.create_draft(imported, user, auto_topics)
                    verb = "created" if created else "updated"
                    change = reverse("admin:articles_article_change", args=[article.pk])
                    link = f" {change}"
            except (importer.InvalidDocument, importer.ImportRefused, OSError) as error:
                failed += 1
                message = error.strerror if isinstance(error, OSError) else error
                self.stderr.write(f"{path}: failed: {message}")
                continue
            except Exception as error:  # one bad file must not stop the rest of a folder
                failed += 1
                self.stderr.write(f"{path}: failed: unexpected {type(error).__name__}: {error}")
                continue
            line = f"{path}: {verb}{link} “{imported.headline}”: {imported.summary()}"
            notes = " ".join(imported.notes)
            self.stdout.write(f"{line}. {notes}" if notes else f"{line}.")
        if failed:
            raise CommandError(f"{failed} of {len(files)} files failed.")
        count = f"{len(files)} file" + ("s" if len(files) != 1 else "")
        self.stdout.write(f"{'Checked' if dry_run else 'Imported'} {count}.")

    def author(self, username, dry_run):
        if not username:
            if dry_run:
                return None
            raise CommandError("Give --author USERNAME: the drafts go in that person's byline.")
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user called {username!r}.") from None

    def files(self, paths):
        """Every file named, and the .txt, .md and .docx files under every folder named."""
        found = []
        for name in paths:
            path = Path(name)
            if path.is_dir():
                found += sorted(
                    child
                    for child in path.rglob("*")
                    if child.is_file()
                    and child.suffix.lower() in SUPPORTED_SUFFIXES
                    and not child.name.startswith((".", "~$"))
                )
            else:
                found.append(path)  # a missing file fails on its own line
        if not found:
            raise CommandError("No .txt, .md or .docx files found.")
        return found
