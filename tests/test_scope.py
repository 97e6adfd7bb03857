"""The scope rule for municipality matters, on a model and route that exist only here."""

import re

import pytest
import sqlalchemy as sa
from flask import Blueprint, jsonify
from flask_login import current_user, login_required
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app import scope
from app.auth.permissions import admin_required
from app.extensions import db
from tests.factories import TEST_PASSWORD, municipality


class ScratchBase(DeclarativeBase):
    """Kept out of the application's metadata, so the migration drift check never sees it."""


class Dossier(ScratchBase):
    __tablename__ = "test_dossiers"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(50))
    municipality_id: Mapped[int]
    confidential: Mapped[bool] = mapped_column(default=False)
    shared_with_id: Mapped[int | None]


@scope.scope_rule(Dossier)
def _dossier_rule(user):
    return scope.municipality_matter_rule(
        Dossier, user, shared_with=Dossier.shared_with_id == user.municipality_id
    )


bp = Blueprint("scratch", __name__)


@bp.get("/test-dossiers/<int:dossier_id>")
@login_required
def show(dossier_id: int):
    dossier = scope.get_visible_or_404(current_user, Dossier, dossier_id)
    return jsonify({"title": dossier.title})


@bp.get("/test-admin-only")
@admin_required
def admin_only():
    return "admin area"


@pytest.fixture
def dossiers(app, users):
    app.register_blueprint(bp)
    ScratchBase.metadata.create_all(db.engine)
    ids = {}
    for key, slug, confidential, shared in [
        ("arboga_open", "arboga", False, None),
        ("arboga_secret", "arboga", True, None),
        ("arboga_secret_shared_kumla", "arboga", True, "kumla"),
        ("kumla_open", "kumla", False, None),
    ]:
        dossier = Dossier(
            title=key, municipality_id=municipality(slug).id, confidential=confidential,
            shared_with_id=municipality(shared).id if shared else None,
        )
        db.session.add(dossier)
        db.session.flush()
        ids[key] = dossier.id
    db.session.commit()
    return ids


@pytest.mark.parametrize(
    ("who", "dossier", "status"),
    [
        ("kumla", "arboga_open", 404),
        ("kumla", "arboga_secret", 404),
        ("kumla", "arboga_secret_shared_kumla", 200),
        ("kumla", "kumla_open", 200),
        ("viewer", "kumla_open", 200),
        ("viewer", "arboga_open", 404),
        ("viewer", "arboga_secret_shared_kumla", 200),
        ("arboga", "arboga_secret", 200),
        ("admin", "arboga_open", 200),
        ("admin", "arboga_secret", 404),
        ("admin", "arboga_secret_shared_kumla", 404),
        ("hallsberg", "kumla_open", 404),
    ],
)
def test_scope_matrix(client, auth, dossiers, who, dossier, status):
    auth.login(f"{who}@test.example", TEST_PASSWORD)
    response = client.get(f"/test-dossiers/{dossiers[dossier]}")
    assert response.status_code == status
    if status == 404:
        assert dossier not in response.get_data(as_text=True)


def test_kumla_advisor_cannot_see_unshared_arboga_dossier(client, auth, dossiers):
    auth.login("kumla@test.example", TEST_PASSWORD)
    assert client.get(f"/test-dossiers/{dossiers['arboga_open']}").status_code == 404


def _without_csrf_tokens(html: str) -> str:
    """CSRF tokens carry a timestamp; everything else must be identical."""
    return re.sub(r'name="csrf_token" value="[^"]*"', "", html)


def test_missing_object_and_hidden_object_answer_alike(client, auth, dossiers):
    auth.login("kumla@test.example", TEST_PASSWORD)
    hidden = client.get(f"/test-dossiers/{dossiers['arboga_secret']}")
    missing = client.get("/test-dossiers/999999")
    assert hidden.status_code == missing.status_code == 404
    assert _without_csrf_tokens(hidden.get_data(as_text=True)) == _without_csrf_tokens(
        missing.get_data(as_text=True)
    )


def test_advisor_gets_403_on_admin_routes(client, auth, dossiers):
    auth.login("kumla@test.example", TEST_PASSWORD)
    assert client.get("/test-admin-only").status_code == 403
    assert client.get("/admin/users").status_code == 403
    assert client.get("/admin/").status_code == 403


def test_viewer_gets_403_on_admin_routes(client, auth, users):
    auth.login("viewer@test.example", TEST_PASSWORD)
    assert client.get("/admin/users/new").status_code == 403


def test_visitor_is_sent_to_login(client, dossiers):
    response = client.get(f"/test-dossiers/{dossiers['kumla_open']}")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_anonymous_and_inactive_users_see_nothing(app, dossiers, users):
    from app.auth.models import AnonymousUser

    assert db.session.scalars(scope.select_visible(AnonymousUser(), Dossier)).all() == []
    users["kumla"].active = False
    assert db.session.scalars(scope.select_visible(users["kumla"], Dossier)).all() == []


def test_a_model_without_a_rule_cannot_be_queried(app, users):
    class Unruled:
        pass

    with pytest.raises(LookupError):
        scope.visible_filter(users["kumla"], Unruled)


@pytest.mark.parametrize("role", ["admin", "advisor", "viewer"])
def test_every_rule_reads_only_the_scope_key_of_a_user(app, role):
    """Statements built from visible_filter are reused for every user with the same
    scope_key (app.caching.reused_statement): two users who differ in everything else
    must get the same SQL and the same values from every registered rule."""
    from types import SimpleNamespace

    def user(**other):
        return SimpleNamespace(**{"is_authenticated": True, "is_active": True,
                                  "municipality_id": 3, "is_admin": role == "admin",
                                  "is_advisor": role == "advisor", **other})

    first = user(id=1, email="a@test.example", name="A", locale="sv")
    second = user(id=2, email="b@test.example", name="B", locale="en")
    assert scope.scope_key(first) == scope.scope_key(second)
    for model in scope._RULES:
        compiled = [scope.visible_filter(u, model).compile(compile_kwargs={"literal_binds": True})
                    for u in (first, second)]
        assert str(compiled[0]) == str(compiled[1]), model.__name__
    other_municipality = user(id=1, municipality_id=4)
    assert scope.scope_key(other_municipality) != scope.scope_key(first)


def test_the_scope_module_imports_no_feature():
    """Features register their rules with app.scope from their own access modules
    (app/leads/access.py, app/sites/access.py); app.scope itself knows no feature."""
    import ast
    from pathlib import Path

    source = Path(scope.__file__).read_text(encoding="utf-8")
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
        elif isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
    own = {name for name in imported if name == "app" or name.startswith("app.")}
    assert own <= {"app.extensions", "app.viewer"}, own


def test_every_model_holding_municipality_data_has_a_scope_rule(app):
    """A table with a municipality_id column holds a municipality's data: it needs an
    owner and a rule in an access module, or it cannot be queried through app.scope."""
    from app.extensions import db

    exempt = {
        "users",  # the accounts themselves: managed by the admin, not matters
        "audit_events",  # read only through each object's own page, by its rules
        "activities", "follow_ups",  # read through their lead (app.leads.access)
        "lead_shares",  # part of its lead
    }
    missing = []
    for mapper in db.Model.registry.mappers:
        table = mapper.local_table
        if "municipality_id" in table.c and table.name not in exempt \
                and mapper.class_ not in scope._RULES:
            missing.append(table.name)
    assert missing == []
