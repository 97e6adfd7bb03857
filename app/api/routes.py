from __future__ import annotations

from flask import Blueprint, jsonify

from app.api.auth import api_user, authenticate_request

bp = Blueprint("api", __name__, url_prefix="/api/v1")
bp.before_request(authenticate_request)


@bp.get("/me")
def me():
    user = api_user()
    return jsonify(
        {
            "id": user.id,
            "email": user.email,
            "name": user.name,
            "role": user.role.value,
            "municipality": user.municipality.slug,
            "locale": user.locale,
        }
    )
