from django import template

from desk import dashboard

register = template.Library()


@register.inclusion_tag("desk/dashboard.html")
def desk_dashboard(user):
    return {"panels": dashboard.panels(user)}


@register.inclusion_tag("desk/badge.html")
def desk_badge(user):
    if not (user.is_authenticated and user.is_staff):
        return {}
    label, count, url = dashboard.badge(user)
    return {"label": label, "count": count, "url": url}
