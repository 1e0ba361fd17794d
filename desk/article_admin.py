"""What the desk adds to the article admin: transition buttons, the notes thread, autosave
recovery and the preview, wired into the change form. Mixed in before VersionAdmin."""

import reversion
from django.contrib import messages
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from desk.models import Autosave, Note
from desk.notifications import notify

WRITER_LABELS = {workflow.SAVE: "Save draft"}
DONE_MESSAGES = {
    workflow.PUBLISH: "Published “{}”.",
    workflow.SCHEDULE: "Scheduled “{}”.",
    workflow.SEND_BACK: "Sent “{}” back to the writer.",
    workflow.WITHDRAW: "Withdrew “{}”: it is no longer public.",
}


def endpoint(name, article):
    if article is None:
        return reverse(f"desk:{name}_new")
    return reverse(f"desk:{name}", args=[article.pk])


def state_in_words(article):
    """The state as words that follow "This article is": in review, scheduled for …"""
    if article is None:
        return "new"
    label = article.visibility_label
    return label[0].lower() + label[1:]


class DeskAdminMixin:
    # Restoring an autosave: the form (and its inlines) are shown filled with it, unsaved.

    def _restoring(self, request, article):
        if request.method != "GET" or not request.GET.get("restore_autosave"):
            return None
        if not hasattr(request, "desk_restored"):
            slot = None
            if workflow.transitions(request.user, article):
                slot = (
                    Autosave.objects.fresh()
                    .slot(request.user, article.pk if article else None)
                    .first()
                )
            request.desk_restored = slot
        slot = request.desk_restored
        return slot.as_query_dict() if slot else None

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        data = self._restoring(request, obj)
        if data is None:
            return form

        class RestoredForm(form):
            def __init__(self, *args, **kwargs):
                if not args and "data" not in kwargs:
                    kwargs["data"] = data
                super().__init__(*args, **kwargs)

        return RestoredForm

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        data = self._restoring(request, obj)
        if data is not None:
            kwargs["data"] = data
        return kwargs

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(self.desk_context(request, obj, context["adminform"].form))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def desk_context(self, request, article, form):
        user = request.user
        allowed = workflow.transitions(user, article)
        labels = {**workflow.BUTTON_LABELS}
        if not workflow.can_publish(user):
            labels.update(WRITER_LABELS)
        may_preview = (
            workflow.can_preview(user, article)
            if article
            else user.has_perm("articles.add_article")
        )
        context = {
            "desk_form": form,
            "desk_buttons": [(name, labels[name]) for name in allowed],
            "desk_state": state_in_words(article),
            "desk_notes": (
                list(Note.objects.filter(article=article).thread())
                if article and may_preview
                else []
            ),
            # A read-only form has nothing unsaved: "View on site" shows the saved article.
            "desk_preview_url": endpoint("preview", article) if allowed and may_preview else "",
            "desk_autosave_url": endpoint("autosave", article) if allowed else "",
            "desk_discard_url": endpoint("discard", article) if allowed else "",
            "desk_restored": getattr(request, "desk_restored", None),
            "desk_offer": None,
        }
        if allowed and request.method == "GET" and not context["desk_restored"]:
            Autosave.objects.expired().delete()  # indexed; usually deletes nothing
            slot = Autosave.objects.fresh().slot(user, article.pk if article else None).first()
            if slot and (article is None or slot.saved_at > article.updated_at):
                context["desk_offer"] = slot
        return context

    # Saving: the transition the button asked for, a note, and the autosave slot let go.

    def save_model(self, request, obj, form, change):
        transition = getattr(form, "transition", workflow.SAVE)
        published_at = form.cleaned_data.get("published_at", obj.published_at)
        workflow.apply_transition(obj, transition, published_at, timezone.now())
        request.desk_transition = transition
        request.desk_note = form.cleaned_data.get("note", "").strip()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        transition = getattr(request, "desk_transition", workflow.SAVE)
        note = getattr(request, "desk_note", "")
        self.record_handover(request, article, transition, note)
        Autosave.objects.slot(request.user, article.pk if change else None).delete()
        if transition in DONE_MESSAGES:
            messages.success(request, DONE_MESSAGES[transition].format(article))

    def record_handover(self, request, article, transition, note=""):
        """Put a hand-over (and any note) in the article's thread, and e-mail if enabled."""
        action = transition if transition in workflow.REVISION_COMMENTS else ""
        if action or note:
            Note.objects.create(article=article, author=request.user, action=action, text=note)
        if action:
            notify(request, action, article, note)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._revision_comment(request, entry)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._revision_comment(request, entry)
        return entry

    @staticmethod
    def _revision_comment(request, entry):
        """The revision says which button made it (a note's text stays out of revisions)."""
        label = workflow.REVISION_COMMENTS.get(getattr(request, "desk_transition", None))
        if not reversion.is_active() or not (label or getattr(request, "desk_note", "")):
            return
        parts = [label or "Saved", "with a note" if request.desk_note else ""]
        reversion.set_comment(
            f"{' '.join(part for part in parts if part)}. {entry.get_change_message()}"
        )
