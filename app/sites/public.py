"""What the public may see of the sites. A minimal version for the inquiry form's
`?site=` (app/intake): the site when it is available. The public catalogue (branch
`catalogue`) replaces this module, adding its `public` flag to the rule."""

from __future__ import annotations

from app.extensions import db
from app.input_rules import is_id
from app.sites.models import Site, SiteStatus


def listed_site(site_id: int) -> Site | None:
    """The site if the public may ask about it (available), else None."""
    if not is_id(site_id):
        return None
    site = db.session.get(Site, site_id)
    return site if site is not None and site.status == SiteStatus.AVAILABLE else None
