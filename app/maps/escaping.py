"""The one escaping helper for every user-supplied string that goes into a map.

Folium escapes nothing: Popup and Tooltip put their text into a JavaScript template
literal that is then parsed as HTML. So a string must be safe as HTML *and* must not
end or interpolate the template literal: `` ` ``, `$` and `\\` become character
references too (the browser shows them literally once the HTML is parsed).

Braces become character references as well: branca parses every element's output again
as a Jinja template on the server, where "{{ … }}" would run.
"""

from __future__ import annotations

from html import escape

_TEMPLATE_LITERAL = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;",
                                   "{": "&#123;", "}": "&#125;"})


def map_text(value: object) -> str:
    """`value` as text that is safe inside HTML and inside a JS template literal."""
    if value is None:
        return ""
    return escape(str(value), quote=True).translate(_TEMPLATE_LITERAL)
