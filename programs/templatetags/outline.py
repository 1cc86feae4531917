from django import template

register = template.Library()


@register.filter
def outline(text: str) -> list[dict]:
    """Text with one item a line, two spaces of indent a level, as the fixtures hold the report's bullets."""
    items = []
    for line in text.splitlines():
        if not line.strip():
            continue
        depth = (len(line) - len(line.lstrip(" "))) // 2
        items.append({"depth": min(depth, 2), "text": line.strip()})
    return items
