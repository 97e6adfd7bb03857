"""The words for the sites' values, one place for pages, forms, exports and maps."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

# Statuses in the order the maps' legends and filters show them.
STATUS_ORDER = ("available", "reserved", "sold", "withdrawn")


def kind_labels() -> dict[str, Any]:
    return {"land": _l("Land"), "building": _l("Building"),
            "land_with_building": _l("Land with building")}


def status_labels() -> dict[str, Any]:
    return {"available": _l("Available"), "reserved": _l("Reserved"), "sold": _l("Sold"),
            "withdrawn": _l("Withdrawn")}


def detaljplan_labels() -> dict[str, Any]:
    return {"none": _l("Not planned"), "planbesked": _l("Planbesked"), "samrad": _l("Samråd"),
            "granskning": _l("Granskning"), "antagen": _l("Adopted"),
            "laga_kraft": _l("In force")}


def readiness_labels() -> dict[str, Any]:
    return {"ready": _l("Ready to build"), "planned": _l("Planned"), "idea": _l("Idea")}


def rail_labels() -> dict[str, Any]:
    return {"existing": _l("Existing"), "possible": _l("Possible"), "none": _l("None")}


def owner_labels() -> dict[str, Any]:
    return {"municipal": _l("Municipal"), "private": _l("Private")}


def node_kind_labels() -> dict[str, Any]:
    return {"intermodal_terminal": _l("Intermodal terminal"),
            "marshalling_yard": _l("Marshalling yard"), "cargo_airport": _l("Cargo airport"),
            "motorway_junction": _l("Motorway junction"), "rail_station": _l("Rail station")}


def accuracy_labels() -> dict[str, Any]:
    return {"published": _l("Published"), "approximate": _l("Approximate")}


def key_field_labels() -> dict[str, Any]:
    return {"price": _l("price"), "power": _l("power"), "detaljplan": _l("detaljplan"),
            "rail": _l("rail siding"), "areas": _l("areas")}
