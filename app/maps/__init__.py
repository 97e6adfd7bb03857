"""Folium maps rendered on the server and embedded in pages.

- `escaping.map_text` is the one helper for user-supplied strings that go into a map.
- `elements` holds our Folium elements, whose default_js/default_css point at
  app/static/vendor/ (no CDN).
- `service` builds the maps from plain inputs: the site map, a site's map, the
  form's click-to-set map and the lead map.
"""
