"""Who may do what to an article: the newsroom's rules, in one place.

Writers create articles, edit their own drafts and submit them for review. Editors (users with
the `publish_article` and `edit_any_article` permissions) may do everything. Every admin view,
form and action asks these functions; hiding a button is never the only guard.
"""

from articles.models import Article

Status = Article.Status

WRITER_STATUSES = {Status.DRAFT, Status.IN_REVIEW}


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


def status_refusal(user, article, new_status, new_published_at):
    """Why `user` may not move `article` (None when new) to this status and time, or None."""
    if can_publish(user):
        return None
    if new_status not in WRITER_STATUSES:
        return (
            "Only editors can publish, schedule or withdraw articles. "
            "Submit it for review and an editor will publish it."
        )
    old_time = article.published_at if article else None
    if new_published_at != old_time:
        return "Only editors can set the publication time."
    return None


def can_preview(user, article):
    """Staff who may work on an article may see it before it is public."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if can_edit_any(user) or can_publish(user):
        return True
    return user.has_perm("articles.view_article") and article.is_written_by(user)
