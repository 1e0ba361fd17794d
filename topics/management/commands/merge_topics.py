from django.core.management.base import BaseCommand, CommandError

from topics.merging import (
    MergeRefused,
    UndoConflict,
    UndoRefused,
    merge_topics,
    preview,
    undo_merge,
)
from topics.models import Topic, TopicMerge


class Command(BaseCommand):
    help = (
        "Merge the topic SOURCE_SLUG into TARGET_SLUG: its articles carry the target, its name "
        "becomes an alias and its addresses redirect. Prints the merge's id; --undo ID puts the "
        "source back."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", nargs="?", metavar="SOURCE_SLUG")
        parser.add_argument("target", nargs="?", metavar="TARGET_SLUG")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what the merge would do; change nothing."
        )
        parser.add_argument("--undo", type=int, metavar="ID", help="Undo the merge with this id.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="With --undo: undo even if things changed since the merge.",
        )

    def handle(self, *args, source, target, dry_run, undo, force, **options):
        if undo is not None:
            if source or target:
                raise CommandError("Give either SOURCE_SLUG TARGET_SLUG or --undo ID, not both.")
            return self.undo(undo, force)
        if not (source and target):
            raise CommandError(
                "Give the slugs of two topics: merge_topics SOURCE_SLUG TARGET_SLUG."
            )
        source_topic, target_topic = self.topic(source), self.topic(target)
        if dry_run:
            return self.show(preview(source_topic, target_topic))
        try:
            merge = merge_topics(source_topic, target_topic, user=None)
        except MergeRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(f"merge {merge.pk}")

    def topic(self, slug):
        try:
            return Topic.objects.get(slug=slug)
        except Topic.DoesNotExist:
            raise CommandError(f"No topic has the slug “{slug}”.") from None

    def show(self, plan):
        if plan.refusal:
            raise CommandError(plan.refusal)
        write = self.stdout.write
        write(f"Would merge “{plan.source.name}” into “{plan.target.name}”; nothing changed.")
        write(
            f"Articles: {plan.article_count} ({plan.already_tagged_count} already carry "
            f"“{plan.target.name}”, {plan.moving_count} would move)."
        )
        for article in plan.articles:
            already = " (already carries the target)" if article.has_target else ""
            write(f"  #{article.pk} {article.headline}{already}")
        write("Names that would find the target: " + ", ".join(f"“{n}”" for n in plan.aliases))
        write("Addresses that would redirect:")
        for old, new in plan.redirects:
            write(f"  {old} → {new}")

    def undo(self, merge_id, force):
        merge = TopicMerge.objects.filter(pk=merge_id).first()
        if merge is None:
            raise CommandError(f"There is no merge {merge_id}.")
        try:
            source = undo_merge(merge, user=None, force=force)
        except UndoRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        except UndoConflict as conflict:
            raise CommandError(
                f"Merge {merge_id} was not undone: things changed since. {conflict} "
                "Run again with --force to undo anyway."
            ) from conflict
        self.stdout.write(
            f"undid merge {merge_id}: “{source.name}” is at {source.get_absolute_url()}"
        )
