"""The admin's import page: paste or upload copy, see what was recognised, create the draft."""

from functools import partial

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

import importer
from articles.markdown import render_markdown
from articles.models import Article
from importer.parsing import ImportedArticle
from topics.models import Topic

PREVIEW_MAX_AGE = 6 * 60 * 60  # seconds a preview may wait for "Create draft"


def import_urls(model_admin):
    """URL patterns to add to the article admin's `get_urls`."""
    view = model_admin.admin_site.admin_view(partial(import_view, model_admin))
    return [path("import/", view, name="articles_article_import")]


class ImportForm(forms.Form):
    text = forms.CharField(
        label="Paste the copy",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 18, "cols": 90}),
        help_text="Headline on the first line, then the copy: a “Key points” list, paragraphs, "
        "short lines as section headings, “- ” bullets. Markdown is welcome too.",
    )
    file = forms.FileField(
        label="Or upload a file",
        required=False,
        help_text="A .txt, .md or .docx file.",
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.md,.markdown,.docx"}),
    )

    def clean(self):
        cleaned = super().clean()
        text, upload = cleaned.get("text") or "", cleaned.get("file")
        if text.strip() and upload:
            raise forms.ValidationError("Paste the copy or upload a file, not both.")
        if not text.strip() and not upload:
            raise forms.ValidationError("Paste the copy or choose a file to import.")
        if upload and upload.size > settings.IMPORT_MAX_BYTES:
            limit = settings.IMPORT_MAX_BYTES / 1048576
            raise forms.ValidationError(
                f"{upload.name} is {upload.size / 1048576:.1f} MB; the limit is {limit:.1f} MB."
            )
        try:
            if upload:
                self.imported = importer.parse(upload.read(), upload.name)
            else:
                self.imported = importer.parse(text)
        except importer.InvalidDocument as error:
            name = f"{upload.name}: " if upload else ""
            raise forms.ValidationError(f"{name}{error}") from None
        return cleaned


class CreateDraftForm(forms.Form):
    payload = forms.CharField(widget=forms.HiddenInput)
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Assign these topics",
    )

    def __init__(self, *args, user, suggested=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.salt = f"importer.preview.{user.pk}"
        if suggested:
            self.fields["topics"].queryset = Topic.objects.filter(pk__in=[t.pk for t in suggested])

    def sign(self, imported):
        return signing.dumps(_serialise(imported), salt=self.salt, compress=True)

    def clean_payload(self):
        try:
            data = signing.loads(
                self.cleaned_data["payload"], salt=self.salt, max_age=PREVIEW_MAX_AGE
            )
        except signing.BadSignature:
            raise forms.ValidationError(
                "This preview has expired or was changed: import the copy again."
            ) from None
        self.imported = _deserialise(data)
        self.fields["topics"].queryset = Topic.objects.filter(pk__in=data["suggested_topics"])
        return data


def import_view(model_admin, request):
    if not model_admin.has_add_permission(request):
        raise PermissionDenied("You do not have permission to write articles.")
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Article._meta,
        "title": "Import an article",
        "max_megabytes": settings.IMPORT_MAX_BYTES / 1048576,
    }
    if request.method == "POST" and "create" in request.POST:
        create = CreateDraftForm(request.POST, user=request.user)
        if create.is_valid():
            imported = create.imported
            imported.suggested_topics = list(create.cleaned_data["topics"])
            try:
                article, created = importer.create_draft(imported, request.user, auto_topics=True)
            except importer.ImportRefused as error:
                create.add_error(None, str(error))
            else:
                return _opened(request, article, created, imported)
        form = ImportForm()
        context.update(form=form, errors=create.non_field_errors() or create.errors.get("payload"))
        return TemplateResponse(request, "admin/importer/import.html", context)

    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if request.method == "POST" and form.is_valid():
        imported = form.imported
        create = CreateDraftForm(
            user=request.user,
            suggested=imported.suggested_topics,
            initial={"topics": [topic.pk for topic in imported.suggested_topics]},
        )
        create.initial["payload"] = create.sign(imported)
        existing = Article.objects.filter(slug=imported.slug).first()
        context.update(
            imported=imported,
            outline=imported.outline(),
            body_html=render_markdown(imported.body),
            existing=existing,
            create_form=create,
            title=f"Import “{imported.headline}”",
        )
    context["form"] = form
    return TemplateResponse(request, "admin/importer/import.html", context)


def _opened(request, article, created, imported):
    verb = "Imported" if created else "Updated"
    messages.success(request, f"{verb} “{article.headline}” as a draft.")
    if imported.standfirst_needs_review:
        messages.warning(
            request,
            "The standfirst was drawn from the first paragraph: check it reads as a summary.",
        )
    for note in imported.notes:
        messages.info(request, note)
    return redirect("admin:articles_article_change", article.pk)


def _serialise(imported):
    return {
        "headline": imported.headline,
        "slug": imported.slug,
        "standfirst": imported.standfirst,
        "standfirst_needs_review": imported.standfirst_needs_review,
        "key_points": imported.key_points,
        "body": imported.body,
        "filename": imported.filename,
        "format": imported.format,
        "topic_names": imported.topic_names,
        "suggested_topics": [topic.pk for topic in imported.suggested_topics],
        "suggested_sources": imported.suggested_sources,
        "author_usernames": imported.author_usernames,
        "published_at": imported.published_at.isoformat() if imported.published_at else None,
        "notes": imported.notes,
    }


def _deserialise(data):
    from django.utils.dateparse import parse_datetime

    fields = {**data, "suggested_topics": []}
    fields["published_at"] = parse_datetime(data["published_at"]) if data["published_at"] else None
    return ImportedArticle(**fields)
