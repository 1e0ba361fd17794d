from django.conf import settings
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from articles.cache_keys import author_page_keys
from articles.models import Article
from coverage_site.metadata import json_ld_script, page_metadata, person_json_ld, social_image
from coverage_site.page_cache import depends_on
from coverage_site.pagination import ReversiblePaginator
from images.models import Rendition
from people.models import Profile


def public_profile(slug):
    """The profile at `slug` if its person has a public article; 404 otherwise, so the list of
    staff cannot be read by trying addresses."""
    photo_renditions = Prefetch(
        "photo__renditions", queryset=Rendition.objects.filter(shape__in=["square", "social"])
    )
    return get_object_or_404(
        Profile.objects.public().select_related("user", "photo").prefetch_related(photo_renditions),
        slug=slug,
    )


class AuthorDetailView(ListView):
    """/authors/<slug>/: who the author is, and their public articles, newest first."""

    template_name = "people/author_detail.html"
    context_object_name = "articles"
    paginate_by = 20
    paginator_class = ReversiblePaginator
    public_page = True
    cache_query_params = ("page",)

    def get_queryset(self):
        self.profile = public_profile(self.kwargs["slug"])
        return (
            Article.objects.published()
            .filter(authors=self.profile.user)
            .for_listing()
            .newest_first()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(profile=self.profile, **kwargs)
        profile, page = self.profile, context["page_obj"]
        depends_on(self.request, author_page_keys(profile, context["articles"]))
        photo = profile.photo.rendition("square", "jpeg", 320) if profile.photo else None
        path = profile.get_absolute_url()
        context["meta"] = page_metadata(
            self.request,
            title=f"{profile.display_name}{f' (page {page.number})' if page.number > 1 else ''}"
            f" — {settings.SITE_NAME}",
            description=profile.bio
            or f"{profile.role or 'Writer'} at {settings.SITE_NAME}: "
            f"analysis by {profile.display_name}.",
            path=path if page.number == 1 else f"{path}?page={page.number}",
            og_type="profile",
            image=social_image(self.request, profile.photo, alt=profile.display_name),
            json_ld=json_ld_script(person_json_ld(self.request, profile, photo)),
        )
        return context
