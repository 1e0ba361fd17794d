from django.conf import settings
from django.db import models

from coverage_site.links import slug_url
from coverage_site.text import CleanCharField, CleanTextField
from topics.models import ascii_slug


class ProfileQuerySet(models.QuerySet):
    def public(self):
        """People with at least one public article: only they have a public page."""
        from articles.models import Article

        return self.filter(
            models.Exists(Article.objects.published().filter(authors=models.OuterRef("user")))
        )


class Profile(models.Model):
    """What readers see about a writer: their page, role, bio, photo and links."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    slug = models.SlugField(
        max_length=120,
        unique=True,
        help_text="The author page's address, /authors/<slug>/. Avoid changing it once public.",
    )
    role = CleanCharField(max_length=120, blank=True, help_text="E.g. “Diplomatic correspondent”.")
    bio = CleanTextField(
        max_length=1000, blank=True, help_text="Two or three sentences, shown on the author page."
    )
    photo = models.ForeignKey(
        "images.Image",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="profiles",
        help_text="A portrait from the image library; shown square.",
    )
    links = CleanTextField(
        blank=True,
        help_text="One address a line: the author's own site, social and professional "
        "profiles. Shown on the author page and given to search engines as the same person.",
    )

    objects = ProfileQuerySet.as_manager()

    class Meta:
        ordering = ["user__last_name", "user__first_name", "pk"]
        permissions = [("edit_any_profile", "Can edit anyone's author profile")]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return slug_url("people:author", self.slug)

    @property
    def display_name(self):
        return self.user.get_full_name() or self.user.get_username()

    def link_list(self):
        """The links, one per line, http(s) only."""
        return [
            line.strip()
            for line in self.links.splitlines()
            if line.strip().lower().startswith(("https://", "http://"))
        ]


def unique_profile_slug(user):
    base = ascii_slug(user.get_full_name() or user.get_username(), max_length=100)
    if base == "topic":
        base = "author"
    slug, number = base, 1
    while Profile.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def profile_for(user):
    """The user's profile, made on first need."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        profile, _ = Profile.objects.get_or_create(
            user=user, defaults={"slug": unique_profile_slug(user)}
        )
        return profile
