"""The OpenAPI 3 document at /api/v1/openapi.json, built from what features register."""

from __future__ import annotations

from typing import Any

from app.api.common import API_PREFIX, OPENAPI_PATHS, OPENAPI_SCHEMAS, register_openapi
from app.api.inputs import MUNICIPALITY_ENUM, output_schemas
from app.api.outputs import Error, Me
from app.core.service import municipality_slugs


def error_response(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


STANDARD_ERRORS = {
    "400": error_response("Malformed request"),
    "401": error_response("Missing or invalid bearer token"),
}

register_openapi(
    {
        "/me": {
            "get": {
                "summary": "The user the token belongs to",
                "responses": {
                    "200": {
                        "description": "The token's user",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Me"}}},
                    },
                    **STANDARD_ERRORS,
                },
            }
        }
    },
    output_schemas(Error, Me),
)


def with_municipalities(node: Any, slugs: list[str]) -> Any:
    """`node` with each schema marked MUNICIPALITY_ENUM listing `slugs` as its enum."""
    if isinstance(node, list):
        return [with_municipalities(item, slugs) for item in node]
    if not isinstance(node, dict):
        return node
    filled = {key: with_municipalities(value, slugs) for key, value in node.items()
              if key != MUNICIPALITY_ENUM}
    if node.get(MUNICIPALITY_ENUM):
        filled["enum"] = slugs
    return filled


def openapi_document() -> dict[str, Any]:
    """The document, with the municipalities' slugs read from the Municipality table."""
    return with_municipalities(_document(), list(municipality_slugs()))


def _document() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Etablera API", "version": "1"},
        "servers": [{"url": API_PREFIX}],
        "security": [{"bearer": []}],
        "paths": dict(sorted(OPENAPI_PATHS.items())),
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": dict(sorted(OPENAPI_SCHEMAS.items())),
        },
    }
