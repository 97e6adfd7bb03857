"""The public site catalogue (no login): the listed sites on a map and in a list, a page
per site, and the same sites as GeoJSON; Swedish and English."""


def init_app(app) -> None:
    from app.catalogue.routes import bp

    app.register_blueprint(bp)
