"""In a real browser: a writer adds a suggested topic with one click and picks another by its
alias in the autocomplete; the field shows both by name, and saving keeps both."""

import re

import pytest

from articles.models import Article
from tests.factories import make_article, make_topic, make_writer
from tests.test_browser_workflow import (  # noqa: F401  (fixtures)
    browser,
    expect,
    log_in,
    press,
    site,
    unhashed_static,
)
from topics.models import TopicAlias

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_suggestion_is_added_with_one_click_and_an_alias_finds_its_topic(site):  # noqa: F811
    writer = make_writer()
    s400 = make_topic("S-400", kind="defence_system")
    TopicAlias.objects.create(topic=s400, name="S400")
    india_russia = make_topic("India–Russia", kind="relationship")
    TopicAlias.objects.create(topic=india_russia, name="Indo-Russian relations")
    article = make_article(
        "More S400 squadrons",
        body="The India–Russia contract covers five.",
        created_by=writer,
        status=Article.Status.DRAFT,
    )

    desk = site.new_page()
    log_in(desk, writer.username)
    desk.goto(f"/admin/articles/article/{article.pk}/change/")
    field = desk.locator(".field-topics")
    suggestions = desk.locator(".field-suggested_topics")
    expect(suggestions.locator("button.topic-suggestion")).to_have_count(2)
    expect(suggestions.locator("input[type=checkbox]")).to_have_count(0)  # buttons instead

    suggestions.get_by_role("button", name=re.compile(r"^\+ S-400")).click()
    expect(field.locator(".select2-selection__choice", has_text="S-400")).to_be_visible()
    expect(suggestions.locator("button.topic-suggestion")).to_have_count(1)
    expect(desk.locator(".topic-suggestions-status")).to_have_text("Added “S-400”.")

    search_box = field.locator(".select2-search__field")
    search_box.click()
    search_box.press_sequentially("Indo")
    desk.locator(
        ".select2-results__option", has_text="India–Russia — alias: Indo-Russian relations"
    ).click()
    chosen = field.locator(".select2-selection__choice")
    expect(chosen).to_have_count(2)
    expect(chosen.filter(has_text="India–Russia")).not_to_contain_text("alias")
    expect(suggestions.locator("button.topic-suggestion")).to_have_count(0)  # chosen meanwhile

    press(desk, "Save draft")
    expect(desk.locator(".messagelist")).to_contain_text("was changed successfully")
    assert set(article.topics.all()) == {s400, india_russia}
    assert site.problems == []
