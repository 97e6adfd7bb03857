"""The API's output layer: each feature's answers are pydantic models (app/<feature>/
api_outputs.py) that its endpoints build every answer through, and the OpenAPI response
schemas are generated from the same models (app.api.inputs.model_schemas, serialization
mode), so the document cannot drift from the answers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema


class ApiOutput(BaseModel):
    """Base of every answer: nothing but the declared fields."""

    model_config = ConfigDict(extra="forbid")


def dump(model: BaseModel) -> dict[str, Any]:
    """The answer's JSON; fields left unset (e.g. not shown at a share level) are omitted."""
    return model.model_dump(mode="json", exclude_unset=True)


# A moment as Python's isoformat writes it ("…+00:00"), as the API always has.
Instant = Annotated[datetime, PlainSerializer(lambda value: value.isoformat(), return_type=str),
                    WithJsonSchema({"type": "string", "format": "date-time"})]


class ErrorDetail(ApiOutput):
    code: str
    message: str
    fields: dict[str, Any] = Field(default_factory=dict,
                                   description="Field errors keyed by path, e.g. "
                                               "`requirements.land_area.min`.")


class Error(ApiOutput):
    """Every error answer of the API (app/errors.json_error writes it)."""

    error: ErrorDetail


class Me(ApiOutput):
    id: int
    email: str
    name: str
    role: Literal["admin", "advisor", "viewer"]
    municipality: str = Field(description="The municipality's slug.")
    locale: Literal["sv", "en"]
