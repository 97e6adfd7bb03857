"""Site inventory: land and buildings of the four municipalities, logistics nodes,
distances, geocoding, maps, API and export."""

from flask_babel import lazy_gettext as _l


def init_app(app) -> None:
    from app.navigation import add_nav_item
    from app.sites import api, digest, labels, nodes, panels
    from app.sites.admin_routes import bp as admin_bp
    from app.sites.routes import bp

    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(api.bp)
    app.jinja_env.globals["site_labels"] = labels
    app.jinja_env.globals["estimated_distances"] = nodes.estimated_distances
    panels.register()
    digest.register()
    add_nav_item("sites.index", _l("Sites"), order=30)
    add_nav_item("sites.map", _l("Map"), order=31)
