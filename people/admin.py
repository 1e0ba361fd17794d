from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from people.models import Profile


def may_edit_any(user):
    return user.has_perm("people.edit_any_profile")


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    """Writers edit their own author profile; editors edit everyone's."""

    list_display = ["display_name", "role", "slug", "has_photo"]
    search_fields = ["user__first_name", "user__last_name", "role", "slug"]
    autocomplete_fields = ["photo"]
    fields = ["name", "slug", "role", "bio", "photo", "links"]
    readonly_fields = ["name"]
    list_select_related = ["user", "photo"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("user")
        if may_edit_any(request.user):
            return queryset
        return queryset.filter(user=request.user)

    def get_readonly_fields(self, request, obj=None):
        if may_edit_any(request.user):
            return self.readonly_fields
        return [*self.readonly_fields, "slug"]  # a writer cannot move their public address

    def has_add_permission(self, request):
        return False  # every account has its profile

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or may_edit_any(request.user) or obj.user_id == request.user.pk

    def has_view_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if (
            obj is None
            and str(object_id).isdigit()
            and Profile.objects.filter(pk=object_id).exists()
        ):
            raise PermissionDenied("You can edit only your own author profile.")
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="name", ordering="user__last_name")
    def display_name(self, profile):
        return profile.display_name

    @admin.display(description="name")
    def name(self, profile):
        return f"{profile.display_name} (change it under Users, or ask an editor)"

    @admin.display(description="photo", boolean=True)
    def has_photo(self, profile):
        return profile.photo_id is not None


def person_label(user):
    """“Anika Rao (anika.rao)”: the full name first, so editors pick people by name."""
    full_name = user.get_full_name()
    return f"{full_name} ({user.get_username()})" if full_name else user.get_username()


class NamedAutocompleteJsonView(AutocompleteJsonView):
    """The admin's autocomplete, with people shown by full name."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        if isinstance(obj, get_user_model()):
            result["text"] = person_label(obj)
        extend = getattr(self.model_admin, "autocomplete_result", None)
        if extend is not None:  # e.g. topics: “S-400 — alias: S400”
            result = extend(obj, result, self.term)
        return result


def autocomplete_view(request):
    return NamedAutocompleteJsonView.as_view(admin_site=admin.site)(request)


admin.site.autocomplete_view = autocomplete_view
