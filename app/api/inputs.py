"""The API's input layer: request bodies are pydantic models (app/<feature>/api_inputs.py)
whose field validators call app/input_rules, and the OpenAPI request schemas are generated
from the same models, so the document cannot drift from the code.

Bodies are validated from the raw JSON in strict mode: no bool for a number, no string for
a number, dates only as ISO strings. Unknown keys are refused (`extra="forbid"`), `null` is
accepted only where a field's type says so, and a missing field keeps its documented
default (a PATCH model tells given fields from missing ones by `model_fields_set`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, TypeVar

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails

from app import input_rules
from app.api.common import ApiError, json_body
from app.core.service import municipality_slugs
from app.i18n import from_local
from app.input_rules import InputRejected

Model = TypeVar("Model", bound=BaseModel)
# Marks a schema whose values are the municipalities' slugs: the document lists them from
# the Municipality table when it is served (app.api.openapi.openapi_document).
MUNICIPALITY_ENUM = "x-municipality-slugs"


def _known_municipality(value: str) -> str:
    if value not in municipality_slugs():
        raise InputRejected(_l("Unknown municipality."))
    return value


Slug = Annotated[str, AfterValidator(_known_municipality),
                 Field(description="A municipality's slug.",
                       json_schema_extra={MUNICIPALITY_ENUM: True})]


class ApiInput(BaseModel):
    """Base of every request body: unknown keys refused, strict types."""

    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=False,
                              validate_default=False)


def query_text(name: str, max_length: int) -> str | None:
    """A query-string parameter under the text rules (blank is None), or 422 naming it;
    never cut silently."""
    try:
        return input_rules.clean_text(request.args.get(name), max_length=max_length)
    except InputRejected as error:
        raise invalid({name: [str(error.message)]}) from None


def invalid(fields: dict[str, list[str]]) -> ApiError:
    return ApiError(422, _("Some fields need attention."), fields)


def parse_body(model: type[Model]) -> Model:
    """The request's JSON object as `model`: 400 when it is no JSON object, 422 with
    field errors (paths such as `requirements.land_area.min`) when a field breaks a rule."""
    broken = {path: [_("Contains a broken character (a lone surrogate).")]
              for path in _broken_text(json_body(), "")}  # json_body: 400 unless an object
    if broken:  # valid JSON that pydantic's parser refuses as a whole: name the field
        raise invalid(broken)
    try:
        return model.model_validate_json(request.get_data(), strict=True)
    except ValidationError as error:
        if any(item["type"] == "json_invalid" for item in error.errors()):
            raise ApiError(400, _("The body must be a JSON object.")) from None
        raise invalid(field_errors(error)) from None


def _broken_text(value: Any, path: str):
    """The paths of strings (and keys) that are no Unicode text (lone surrogates)."""
    def broken(text: str) -> bool:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False

    if isinstance(value, str) and broken(value):
        yield path or "body"
    elif isinstance(value, list):
        for item in value:
            yield from _broken_text(item, path)
    elif isinstance(value, dict):
        for key, item in value.items():
            name = key.encode("utf-8", "replace").decode("utf-8")
            yield from _broken_text(item, f"{path}.{name}" if path else name)
            if broken(key):
                yield f"{path}.{name}" if path else name


def field_errors(error: ValidationError) -> dict[str, list[str]]:
    """pydantic's errors as {"a.b": [message]}, in our words."""
    fields: dict[str, list[str]] = {}
    for item in error.errors(include_url=False):
        path = ".".join(str(part) for part in item["loc"] if not isinstance(part, int))
        path = path or "body"  # list positions are left out: the list's name is the field
        message = _message(item)
        if message not in fields.setdefault(path, []):
            fields[path].append(message)
    return fields


def _message(item: ErrorDetails) -> str:
    kind, context = item["type"], item.get("ctx") or {}
    original = context.get("error")
    if isinstance(original, InputRejected):
        return str(original.message)
    if kind == "extra_forbidden":
        return _("Unknown field.")
    if kind == "missing":
        return _("This field is required.")
    if item.get("input", ...) is None:
        return _("Must not be null.")
    if kind in ("enum", "literal_error"):
        return _("Not a valid choice.")
    if kind in ("bool_type", "bool_parsing"):
        return _("Must be true or false.")
    if kind.startswith("int_") or kind == "int_type":
        return _("Must be a whole number.")
    if kind.startswith("float_") or kind == "finite_number":
        return _("Must be a number.")
    if kind in ("greater_than_equal", "greater_than"):
        return _("Must not be below %(limit)s.", limit=context.get("ge", context.get("gt")))
    if kind in ("less_than_equal", "less_than"):
        return _("At most %(limit)s.", limit=context.get("le", context.get("lt")))
    if kind.startswith("date_") and "time" not in kind:
        return _("Must be a date (YYYY-MM-DD).")
    if kind.startswith("datetime_"):
        return _("Must be a date-time (ISO 8601).")
    if kind == "string_too_long":
        return _("At most %(max)d characters.", max=context.get("max_length", 0))
    if kind == "string_too_short":
        return _("This field is required.")
    if kind == "string_type":
        return _("Must be text.")
    if kind in ("too_short", "too_long", "list_type"):
        return _("Must be a list.")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return _("Must be an object.")
    if kind == "value_error" and original is not None:
        return str(original)
    return _("Not a valid value.")


# --- the OpenAPI document from the models ------------------------------------------------

REF_TEMPLATE = "#/components/schemas/{model}"


def model_schemas(*models: type[BaseModel],
                  mode: Literal["validation", "serialization"] = "validation",
                  ) -> dict[str, dict[str, Any]]:
    """Component schemas of the models (and the models and enums they use), in the
    OpenAPI 3.0 dialect of our document (`nullable` instead of a null type)."""
    schemas: dict[str, dict[str, Any]] = {}
    for model in models:
        schema = model.model_json_schema(ref_template=REF_TEMPLATE, mode=mode)
        for name, definition in schema.pop("$defs", {}).items():
            schemas[name] = to_openapi30(definition)
        schemas[model.__name__] = to_openapi30(schema)
    return schemas


def output_schemas(*models: type[BaseModel]) -> dict[str, dict[str, Any]]:
    """Component schemas of answers (app.api.outputs): what the models write."""
    return model_schemas(*models, mode="serialization")


def to_openapi30(schema: Any) -> Any:
    """JSON Schema 2020-12 as pydantic writes it, rewritten for OpenAPI 3.0: `anyOf` with
    `{"type": "null"}` becomes `nullable`, a `$ref` beside other keywords goes into
    `allOf`, and titles go (the component's name says it)."""
    if isinstance(schema, list):
        return [to_openapi30(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    schema = {key: to_openapi30(value) for key, value in schema.items()
              if key not in ("title", "$defs")}
    options = schema.get("anyOf")
    if options and {"type": "null"} in options:
        rest = [option for option in options if option != {"type": "null"}]
        schema.pop("anyOf")
        base = rest[0] if len(rest) == 1 else {"anyOf": rest}
        schema = {**base, **schema, "nullable": True}
    if "default" in schema and schema["default"] is None:
        schema.pop("default")  # None is "not given" (a PATCH keeps the stored value)
    if "$ref" in schema and len(schema) > 1:
        schema = {"allOf": [{"$ref": schema.pop("$ref")}], **schema}
    return schema


# --- field types that apply app/input_rules ----------------------------------------------

def _column_length(column: Any) -> int:
    return column.property.columns[0].type.length


def text(length: int | Any, *, multiline: bool = False, required: bool = False) -> Any:
    """Text under the text rules (normalised, no control characters, at most `length`
    characters, a column's length when a column is given); blank is None, or refused when
    `required`."""
    limit = length if isinstance(length, int) else _column_length(length)

    def check(value: str | None) -> str | None:
        cleaned = input_rules.clean_text(value, multiline=multiline, max_length=limit)
        if cleaned is None and required:
            raise InputRejected(_l("This field is required."))
        return cleaned

    schema: dict[str, Any] = {"maxLength": limit}
    if required:
        schema |= {"minLength": 1}
    return [AfterValidator(check), Field(json_schema_extra=schema)]


def a_date(kind: str) -> Any:
    """A date (ISO string) in the plausible range of its kind, described in the schema."""
    return [AfterValidator(lambda value: input_rules.check_date(value, kind)),
            Field(description=f"Plausible range: {input_rules.describe_range(kind)}.")]


def a_datetime(kind: str) -> Any:
    """A date-time (ISO 8601; without an offset it is local time) in the plausible range."""
    def check(value: datetime | None) -> datetime | None:
        value = input_rules.check_datetime(value, kind)
        return from_local(value) if value is not None and value.tzinfo is None else value

    return [AfterValidator(check),
            Field(description="Without an offset the time is local (Europe/Stockholm). "
                              f"Plausible range: {input_rules.describe_range(kind)}.")]


def a_number(kind: str) -> Any:
    """A number within NUMBER_RANGES[kind], its range as minimum and maximum."""
    low, high = input_rules.NUMBER_RANGES[kind]
    return [AfterValidator(lambda value: input_rules.check_number(value, kind)),
            Field(json_schema_extra={"minimum": low, "maximum": high})]


def orgnr_text() -> Any:
    return [AfterValidator(input_rules.clean_orgnr),
            Field(description="Swedish organisation number; NNNNNN-NNNN, also with the "
                              "century (16), dots, dashes or spaces.")]
