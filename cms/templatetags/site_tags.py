"""Small template helpers for public pages."""

import re

from django import template

register = template.Library()


@register.filter
def tel(number):
    """A `tel:` URL for a phone number as people write it ("0808 800 5000" -> "tel:08088005000")."""
    digits = re.sub(r"[^0-9+]", "", str(number or ""))
    return f"tel:{digits}" if digits else ""


@register.simple_tag(takes_context=True)
def render_panel(context, panel):
    """Render a HomePagePanel from a higher app with its own context plus the request."""
    from django.template.loader import render_to_string

    return render_to_string(panel.template_name, {**panel.context}, request=context.get("request"))
