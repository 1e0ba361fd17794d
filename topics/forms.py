"""Suggested topics under the article form's topics field: the topics its text names, each
addable with one click (desk/js/topic_suggestions.js) or, without JavaScript, ticked and saved."""

import re

from django import forms
from django.utils.html import format_html

from topics.models import Topic
from topics.suggestions import suggest_topics

KEY_POINT_TEXT = re.compile(r"^key_points-(\d+)-text$")


class SuggestedTopicsWidget(forms.CheckboxSelectMultiple):
    """Tick boxes, each carrying its topic's name for the script that adds it to the field.

    The text is read only when the form is shown (`suggest` is called then): a save that
    succeeds never looks.
    """

    names = {}
    suggest = None

    class Media:
        js = ["desk/js/topic_suggestions.js"]

    def __init__(self, attrs=None, choices=()):
        super().__init__({"class": "topic-suggestions", **(attrs or {})}, choices)

    def load(self):
        if self.suggest is not None:
            suggestions, self.suggest = self.suggest(), None
            self.choices = [(s.topic_id, s.label) for s in suggestions]
            self.names = {s.topic_id: s.name for s in suggestions}

    def get_context(self, name, value, attrs):
        self.load()
        return super().get_context(name, value, attrs)

    def render(self, name, value, attrs=None, renderer=None):
        self.load()
        if not self.choices:
            return format_html(
                '<p class="topic-suggestions-none">{}</p>',
                "None yet: no other existing topic's name or alias appears in the headline, "
                "standfirst, key points or body (looked for when the form opens).",
            )
        return super().render(name, value, attrs, renderer)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["attrs"]["data-topic-name"] = self.names.get(value, str(label))
        return option


class SuggestedTopicsField(forms.ModelMultipleChoiceField):
    widget = SuggestedTopicsWidget

    def __init__(self, **kwargs):
        super().__init__(
            queryset=Topic.objects.all(),
            required=False,
            label="Suggested topics",
            help_text="Topics whose names or aliases the headline, standfirst, key points or "
            "body use. Click one to add it above; or tick it, and saving adds it.",
            **kwargs,
        )


class TopicSuggestionsMixin:
    """Mixed into the article form: `suggested_topics` lists what the text names (the posted
    text after a failed save, else the saved article's); ticked ones join `topics`."""

    def setup_topic_suggestions(self):
        field = self.fields.get("suggested_topics")
        if field is None:
            return
        field.widget.choices = []
        field.widget.suggest = lambda: suggest_topics(
            self.texts_for_suggestions(), exclude=self.chosen_topics()
        )

    def texts_for_suggestions(self):
        if self.is_bound:
            data = self.data
            points = [
                data.get(name, "")
                for name in data
                if (number := KEY_POINT_TEXT.match(name))
                and not data.get(f"key_points-{number[1]}-DELETE")
            ]
            return {
                "headline": data.get("headline", ""),
                "standfirst": data.get("standfirst", ""),
                "key_points": points,
                "body": data.get("body", ""),
            }
        article = self.instance
        points = list(article.key_points.values_list("text", flat=True)) if article.pk else []
        return {
            "headline": article.headline,
            "standfirst": article.standfirst,
            "key_points": points,
            "body": article.body,
        }

    def chosen_topics(self):
        if self.is_bound:
            posted = self.data.getlist("topics") if hasattr(self.data, "getlist") else []
            return [pk for pk in posted if str(pk).isdigit()]
        return [getattr(topic, "pk", topic) for topic in self.initial.get("topics") or ()]

    def add_ticked_suggestions(self, cleaned):
        ticked = cleaned.get("suggested_topics")
        if ticked:
            chosen = list(cleaned.get("topics") or ())
            cleaned["topics"] = chosen + [topic for topic in ticked if topic not in chosen]
        return cleaned
