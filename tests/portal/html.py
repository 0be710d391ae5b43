"""Pieces of a rendered portal page that the page tests read: one field, one select's options, one list item."""


def field_html(html: str, name: str) -> str:
    """The markup of one field of the page (its label up to the next field)."""
    return html.split(f'for="id_{name}"')[1].split('<div class="field')[0]


def select_html(html: str, name: str) -> str:
    """The options of the select named `name`."""
    return html.split(f'name="{name}"')[1].split("</select>")[0]


def item_html(html: str, item_id: str) -> str:
    """One list item, from its id to its end."""
    return html.split(f'id="{item_id}"')[1].split("</li>")[0]
