"""Newsroom copy in: plain text, Markdown and Word documents become article drafts.

    imported = importer.parse(data, filename="copy.docx")    # -> ImportedArticle
    article, created = importer.create_draft(imported, author, auto_topics=False)

`parse` raises InvalidDocument and `create_draft` ImportRefused, each with a one-line message
for the person importing. The `import_article` command, the admin's import page and `load_demo`
all go through these two functions.
"""

from importer.parsing import ImportedArticle, InvalidDocument, parse

__all__ = ["ImportRefused", "ImportedArticle", "InvalidDocument", "create_draft", "parse"]


class ImportRefused(Exception):
    """The copy is fine, but it may not become or replace this draft; the message says why."""


def create_draft(imported, author, auto_topics=False):
    """Create the article draft, or update the draft with the same slug: (article, created)."""
    from importer.drafts import save_draft

    return save_draft(imported, author, auto_topics=auto_topics)
