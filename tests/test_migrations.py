"""One linear history that builds the schema the models describe, on SQLite and PostgreSQL."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from app import create_app
from app.extensions import db


def _script(app) -> ScriptDirectory:
    return ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())


def test_there_is_exactly_one_head(app):
    assert len(_script(app).get_heads()) == 1


def test_history_is_linear(app):
    for revision in _script(app).walk_revisions():
        assert not isinstance(revision.down_revision, tuple | list), revision.revision


def test_models_and_migrations_do_not_differ(app):
    """The equivalent of `flask db check` against the migrated test database."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_upgrade_from_empty_then_downgrade_and_upgrade_again(test_databases):
    url = test_databases.empty()
    try:
        application = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
        with application.app_context():
            upgrade()
            assert db.session.scalar(sa.text("select count(*) from municipalities")) == 4
            db.session.remove()
            downgrade(revision="base")
            upgrade()
            slugs = db.session.scalars(sa.text("select slug from municipalities order by code"))
            assert list(slugs) == ["hallsberg", "orebro", "kumla", "arboga"]
            db.session.remove()
            db.engine.dispose()
    finally:
        test_databases.drop(url)


def test_reference_data_comes_from_migrations_not_demo_data(app):
    codes = dict(db.session.execute(sa.text("select slug, code from municipalities")).all())
    assert codes == {"orebro": "1880", "hallsberg": "1861", "kumla": "1881", "arboga": "1984"}
    assert db.session.scalar(sa.text("select count(*) from users")) == 0
