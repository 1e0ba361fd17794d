"""Optional e-mail when an article changes hands (NEWSROOM_EMAIL_NOTIFICATIONS; off by default).

Sent through Django's e-mail backend after the save has committed; a failing mail server is
logged and never undoes or breaks the save.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse

from articles import workflow

logger = logging.getLogger(__name__)

SUBJECTS = {
    workflow.SUBMIT: "Waiting for review: {}",
    workflow.SEND_BACK: "Sent back to you: {}",
    workflow.PUBLISH: "Published: {}",
    workflow.SCHEDULE: "Scheduled: {}",
}


def name_of(user):
    return user.get_full_name() or user.get_username()


def recipients(action, article, actor):
    """Editors for a submission; the writers (byline and creator) for everything else."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="").exclude(pk=actor.pk)
    if action == workflow.SUBMIT:
        users = users.filter(
            pk__in=get_user_model().objects.with_perm(
                "articles.publish_article", backend="django.contrib.auth.backends.ModelBackend"
            )
        )
    else:
        writers = {article.created_by_id, *article.authors.values_list("pk", flat=True)}
        users = users.filter(pk__in=writers - {None})
    return sorted(users.values_list("email", flat=True).distinct())


def notify(request, action, article, note):
    """E-mail the people `action` hands the article to, once the save has committed."""
    if not settings.NEWSROOM_EMAIL_NOTIFICATIONS or action not in SUBJECTS:
        return
    actor = request.user
    to = recipients(action, article, actor)
    if not to:
        return
    headline = " ".join(article.headline.split())  # a header never carries a line break
    link = request.build_absolute_uri(reverse("admin:articles_article_change", args=[article.pk]))
    lines = [f"{name_of(actor)}: {workflow.REVISION_COMMENTS[action].lower()}.", "", headline]
    if note:
        lines += ["", "Note:", note]
    lines += ["", link]
    messages = [
        EmailMessage(SUBJECTS[action].format(headline[:150]), "\n".join(lines), to=[address])
        for address in to
    ]
    transaction.on_commit(lambda: send(messages))


def send(messages):
    try:
        get_connection().send_messages(messages)
    except Exception:  # a mail server's trouble must not turn a saved article into an error
        logger.exception("Could not send %d newsroom e-mail(s)", len(messages))
