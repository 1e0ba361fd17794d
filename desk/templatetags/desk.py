from django import template

from desk import dashboard

register = template.Library()


def may_follow_articles(user):
    return user.is_authenticated and user.is_staff and user.has_perm("articles.view_article")


@register.inclusion_tag("desk/dashboard.html")
def desk_dashboard(user):
    return {"panels": dashboard.panels(user) if may_follow_articles(user) else []}


@register.inclusion_tag("desk/badge.html")
def desk_badge(user):
    if not may_follow_articles(user):
        return {}
    label, count, url = dashboard.badge(user)
    return {"label": label, "count": count, "url": url}
