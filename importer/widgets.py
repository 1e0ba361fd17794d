from django import forms


class MarkdownPasteTextarea(forms.Textarea):
    """A Markdown textarea where pasted rich text (Word, Google Docs, web pages) arrives as
    Markdown. Without JavaScript it is a plain textarea; the import page does the same job."""

    def __init__(self, attrs=None):
        super().__init__({"data-paste-markdown": "", **(attrs or {})})

    class Media:
        js = ["importer/vendor/turndown-7.2.5.js", "importer/paste-markdown.js"]
