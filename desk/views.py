"""The desk's endpoints: preview, autosave (and discard), and the byline's colleague lookup.

All are for signed-in newsroom staff, check the article's rules in `articles.workflow`, and
never change an article, its revisions or its version.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.http import require_GET, require_POST

from articles import workflow
from articles.models import Article
from coverage_site.metadata import page_metadata
from desk import preview as previews
from desk.models import Autosave

LOOKUP_PAGE_SIZE = 20
LOOKUP_TERM_LIMIT = 100


def newsroom_member(user):
    return user.is_authenticated and user.is_active and user.is_staff


def private(response):
    """Never stored by a browser or a proxy, never indexed."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    response["X-Robots-Tag"] = "noindex"
    return response


def refused(message, status=403):
    return private(JsonResponse({"error": message}, status=status))


def editable_article(request, article_id):
    """The article the person may edit (None for a new one), or PermissionDenied saying why."""
    if article_id is None:
        if not request.user.has_perm("articles.add_article"):
            raise PermissionDenied("You do not have permission to write articles.")
        return None
    article = get_object_or_404(Article.objects.defer("body_html", "search_vector"), pk=article_id)
    refusal = workflow.edit_refusal(request.user, article)
    if refusal:
        raise PermissionDenied(refusal)
    return article


@require_POST
def autosave(request, article_id=None):
    """Keep the posted form in the person's autosave slot; the article is not touched."""
    if not newsroom_member(request.user):
        return refused("Your session has ended: log in again in another tab to keep autosaving.")
    try:
        editable_article(request, article_id)
    except PermissionDenied as error:
        return refused(str(error))
    slot = Autosave.keep(request.user, article_id, request.POST)
    local = timezone.localtime(slot.saved_at)
    return private(
        JsonResponse({"saved_at": local.isoformat(), "message": f"Autosaved at {local:%H:%M:%S}."})
    )


@require_POST
def discard(request, article_id=None):
    """Forget the person's autosave for this article, then go back to its form."""
    if not newsroom_member(request.user):
        raise PermissionDenied("Log in to the newsroom first.")
    Autosave.objects.slot(request.user, article_id).delete()
    messages.info(request, "Discarded the unsaved changes.")
    if article_id is None:
        return redirect("admin:articles_article_add")
    return redirect("admin:articles_article_change", article_id)


@require_POST
def preview(request, article_id=None):
    """The unsaved form rendered by the public article template, for an iframe or a new tab."""
    if not newsroom_member(request.user):
        raise PermissionDenied("Log in to the newsroom to preview articles.")
    if article_id is None:
        article = None
        if not request.user.has_perm("articles.add_article"):
            raise PermissionDenied("You do not have permission to write articles.")
    else:
        article = get_object_or_404(Article.objects.all(), pk=article_id)
        if not workflow.can_preview(request.user, article):
            raise PermissionDenied("You cannot see this article before it is public.")
    shown, parts = previews.build(request.POST, article, request.user)
    context = {
        "article": shown,
        "is_preview": True,
        "unsaved_preview": True,
        **parts,
        "meta": page_metadata(
            request,
            title=f"Preview: {shown.headline} — Coverage",
            description=shown.standfirst,
            robots="noindex",
        ),
    }
    return private(render(request, "articles/article_detail.html", context))


@require_GET
def authors(request):
    """Colleagues for the byline's autocomplete (select2's JSON): names only, staff only.

    Writers get this narrow lookup rather than the permission to browse every user account.
    """
    user = request.user
    if not newsroom_member(user) or not (
        user.has_perm("articles.add_article") or user.has_perm("articles.change_article")
    ):
        return refused("Only newsroom staff can look up colleagues.")
    term = request.GET.get("term", "")[:LOOKUP_TERM_LIMIT]
    people = get_user_model().objects.filter(is_active=True, is_staff=True)
    for word in term.split()[:5]:
        people = people.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(username__icontains=word)
        )
    try:
        page = max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        page = 1
    start = (page - 1) * LOOKUP_PAGE_SIZE
    found = list(
        people.order_by("last_name", "first_name", "username").only(
            "pk", "first_name", "last_name", "username"
        )[start : start + LOOKUP_PAGE_SIZE + 1]
    )
    results = [
        {"id": str(person.pk), "text": person.get_full_name() or person.get_username()}
        for person in found[:LOOKUP_PAGE_SIZE]
    ]
    return private(
        JsonResponse({"results": results, "pagination": {"more": len(found) > LOOKUP_PAGE_SIZE}})
    )
