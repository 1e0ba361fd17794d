"""Who may do what to an article: the newsroom's rules, in one place.

Writers create articles, edit their own drafts and submit them for review. Editors (users with
the `publish_article` and `edit_any_article` permissions) may do everything. Every admin view,
form, action and change-form button asks these functions; hiding a button is never the only
guard.
"""

from articles.models import Article

Status = Article.Status


def can_publish(user):
    """May publish, schedule, withdraw and send back articles."""
    return user.has_perm("articles.publish_article")


def can_edit_any(user):
    return user.has_perm("articles.edit_any_article")


def edit_refusal(user, article):
    """Why `user` may not change `article`, or None if they may."""
    if not user.has_perm("articles.change_article"):
        return "You do not have permission to edit articles."
    if article is None or can_edit_any(user):
        return None
    if not article.is_written_by(user):
        return "You can edit only your own articles; ask an editor to change this one."
    if article.status != Status.DRAFT:
        return (
            f"This article is {article.get_status_display().lower()}; "
            "only an editor can change it now."
        )
    return None


def can_preview(user, article):
    """Staff who may work on an article may see it before it is public."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if can_edit_any(user) or can_publish(user):
        return True
    return user.has_perm("articles.view_article") and article.is_written_by(user)


# The change form's buttons. Each is one transition, checked here and nowhere else.

SAVE = "save"
SUBMIT = "submit"
PUBLISH = "publish"
SCHEDULE = "schedule"
SEND_BACK = "send_back"
WITHDRAW = "withdraw"

BUTTON_LABELS = {
    SAVE: "Save",
    SUBMIT: "Submit for review",
    PUBLISH: "Publish now",
    SCHEDULE: "Schedule…",
    SEND_BACK: "Send back to writer",
    WITHDRAW: "Withdraw",
}
REVISION_COMMENTS = {
    SUBMIT: "Submitted for review",
    PUBLISH: "Published",
    SCHEDULE: "Scheduled",
    SEND_BACK: "Sent back to the writer",
    WITHDRAW: "Withdrawn",
}
EDITORS_ONLY = {PUBLISH, SCHEDULE, SEND_BACK, WITHDRAW}


def transitions(user, article):
    """The transitions `user` may apply to `article` (None when new), in button order."""
    if edit_refusal(user, article):
        return []
    status = article.status if article else Status.DRAFT
    if not can_publish(user):
        return [SAVE, SUBMIT] if status == Status.DRAFT else []
    live = article is not None and article.is_published()
    allowed = [SAVE]
    if not live:
        allowed += [PUBLISH, SCHEDULE]
    if article is not None and status in {Status.IN_REVIEW, Status.PUBLISHED, Status.WITHDRAWN}:
        allowed.append(SEND_BACK)
    if status == Status.PUBLISHED:
        allowed.append(WITHDRAW)
    return allowed


def transition_refusal(user, article, transition):
    """Why `user` may not apply `transition` to `article`, or None if they may."""
    if transition in transitions(user, article):
        return None
    refusal = edit_refusal(user, article)
    if refusal:
        return refusal
    if transition in EDITORS_ONLY and not can_publish(user):
        return (
            "Only editors can publish, schedule or withdraw articles. "
            "Submit it for review and an editor will publish it."
        )
    label = BUTTON_LABELS.get(transition)
    if label is None:
        return "That is not something the article form can do. Nothing was changed."
    state = article.visibility_label.lower() if article else "new"
    return f"“{label}” does not apply to an article that is {state}. Nothing was changed."


def requested_transition(data, article):
    """The transition a posted change form asks for.

    The buttons post `_transition`; a form posted without one (Save and continue, a restore,
    an older script that posts `status`) saves, or moves to the posted status.
    """
    transition = data.get("_transition")
    if transition:
        return transition
    status = data.get("status")
    current = article.status if article else Status.DRAFT
    if not status or status == current:
        return SAVE
    return {
        Status.DRAFT: SEND_BACK,
        Status.IN_REVIEW: SUBMIT,
        Status.PUBLISHED: PUBLISH,
        Status.WITHDRAWN: WITHDRAW,
    }.get(status, status)


def apply_transition(article, transition, published_at, now):
    """Set `article`'s status and time for `transition` (already allowed). The caller saves."""
    if transition == SUBMIT:
        article.status = Status.IN_REVIEW
    elif transition == SEND_BACK:
        article.status = Status.DRAFT
    elif transition == WITHDRAW:
        article.status = Status.WITHDRAWN
    elif transition == PUBLISH:
        article.status = Status.PUBLISHED
        article.published_at = published_at if published_at and published_at <= now else now
    elif transition == SCHEDULE:
        article.schedule(published_at)
