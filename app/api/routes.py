from __future__ import annotations

from flask import Blueprint, jsonify

from app.api.auth import api_user
from app.api.common import API_PREFIX, make_api_blueprint
from app.api.openapi import openapi_document
from app.api.outputs import Me, dump
from app.extensions import csrf

bp = make_api_blueprint("api", __name__)

# The OpenAPI document is public: it describes the API, it holds no data.
docs = Blueprint("api_docs", __name__, url_prefix=API_PREFIX)
csrf.exempt(docs)


@docs.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())


@bp.get("/me")
def me():
    user = api_user()
    return jsonify(dump(Me(id=user.id, email=user.email, name=user.name, role=user.role.value,
                           municipality=user.municipality.slug, locale=user.locale)))
