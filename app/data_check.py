"""`flask data check [--fix]`: stored rows that break the input rules (app/input_rules.py).

Rows stored before the rules (or by a path that skipped them) may hold control characters
that crash an export, dates no calendar can show, e-mail addresses that cannot be mailed.
The check lists each problem by table, id and column. `--fix` repairs what is mechanical
(control and bidirectional characters stripped, each change audited and the row's version
moved on, so an open edit form gets a conflict rather than writing the old text back) and
lists the rest for a person to decide. A value that cannot even be read is a problem too:
the check never crashes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from app import audit, input_rules
from app.extensions import db

# (kind of rule, argument): ("text", multiline), ("email", None), ("phone", None),
# ("orgnr", None), ("date", kind), ("datetime", kind), ("number", kind)
Rule = tuple[str, Any]


@dataclass(frozen=True)
class TableRules:
    table: str
    columns: dict[str, Rule]


def _tables() -> list[TableRules]:
    line, lines = ("text", False), ("text", True)
    return [
        TableRules("leads", {
            "codename": line, "registration_number": line, "sector": line,
            "confidential_basis": line, "description": lines, "lost_comment": lines,
            "received_on": ("date", "received"), "desired_start": ("date", "desired_start"),
            "decided_on": ("date", "decided_on"),
            "land_min_m2": ("number", "area_m2"), "land_max_m2": ("number", "area_m2"),
            "building_m2": ("number", "area_m2"), "motorway_km_max": ("number", "km"),
            "terminal_km_max": ("number", "km"), "power_mw": ("number", "power_mw"),
            "contiguous_m2": ("number", "area_m2"), "airport_km_max": ("number", "km"),
            "power_lead_time_months": ("number", "months"),
            "price_max_sek_m2": ("number", "price_sek_m2"),
            "expected_jobs": ("number", "jobs"), "investment_msek": ("number", "investment_msek")}),
        TableRules("companies", {"name": line, "orgnr": ("orgnr", None), "country": line,
                                 "sector": line, "website": line}),
        TableRules("contacts", {"name": line, "title": line, "email": ("email", None),
                                "phone": ("phone", None)}),
        TableRules("activities", {"body": lines, "at": ("datetime", "activity")}),
        TableRules("follow_ups", {"title": line, "due_on": ("date", "follow_up"),
                                  "remind_at": ("datetime", "follow_up")}),
        TableRules("lead_shares", {"basis_by": line, "basis_reason": lines,
                                   "response_comment": lines, "basis_on": ("date", "basis_on")}),
        TableRules("sites", {
            "name": line, "property_designation": line, "address": line, "permitted_use": line,
            "contact_person": line, "description": lines,
            "available_from": ("date", "available_from"),
            "land_area_m2": ("number", "area_m2"), "building_area_m2": ("number", "area_m2"),
            "price_sek_m2": ("number", "price_sek_m2"), "power_mw": ("number", "power_mw")}),
        TableRules("logistics_nodes", {"name": line, "note": line}),
        TableRules("users", {"name": line, "email": ("email", None)}),
    ]


@dataclass
class Problem:
    table: str
    row_id: Any
    column: str
    message: str
    fixed: bool = False

    def __str__(self) -> str:
        state = "fixed" if self.fixed else "left"
        return f"{self.table} {self.row_id} {self.column}: {self.message} [{state}]"


def _check_value(value: Any, rule: Rule) -> str | None:
    """Why `value` breaks `rule`, or None."""
    if value is None:
        return None
    kind, argument = rule
    try:
        if kind == "text":
            char = input_rules.forbidden_character(value, multiline=argument)
            if char is not None:
                name = "a line break" if char == "\n" else f"the character U+{ord(char):04X}"
                return f"contains {name}, which is not allowed"
            return None
        if kind == "email":
            input_rules.clean_email(value)
        elif kind == "phone":
            input_rules.clean_phone(value)
        elif kind == "orgnr":
            if input_rules.clean_orgnr(value) != value:
                return "not written NNNNNN-NNNN"
        elif kind == "date":
            input_rules.check_date(value, argument)
        elif kind == "datetime":
            input_rules.check_datetime(value, argument)
        elif kind == "number":
            input_rules.check_number(value, argument)
    except input_rules.InputRejected as error:
        return _plain(error)
    return None


def _plain(error: input_rules.InputRejected) -> str:
    try:
        return str(error.message)
    except Exception:  # noqa: BLE001 - a message that cannot render outside a request
        return error.__class__.__name__


def _fixed_text(value: str, multiline: bool) -> str | None:
    """The text without forbidden characters (None: nothing would be left)."""
    text = input_rules.strip_forbidden(value, multiline=multiline).strip()
    return text or None


def _rows(table: sa.Table, columns: list[str]) -> Iterator[tuple[Any, dict[str, Any]]]:
    """(id, {column: value}) of each row, a value that cannot be read given as _Unreadable;
    read in chunks by id, then row by row and column by column around a failure."""
    ids = db.session.scalars(sa.select(table.c.id).order_by(table.c.id)).all()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        try:
            rows = db.session.execute(sa.select(table.c.id, *[table.c[name] for name in columns])
                                      .where(table.c.id.in_(chunk))).all()
        except Exception:  # noqa: BLE001 - some value of the chunk cannot be read
            db.session.rollback()
            for row_id in chunk:
                yield row_id, _row_by_column(table, columns, row_id)
            continue
        for row in rows:
            yield row.id, {name: getattr(row, name) for name in columns}


def _row_by_column(table: sa.Table, columns: list[str], row_id: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in columns:
        try:
            values[name] = db.session.scalar(sa.select(table.c[name]).where(table.c.id == row_id))
        except Exception as error:  # noqa: BLE001 - the value itself is broken
            db.session.rollback()
            values[name] = _Unreadable(f"cannot be read ({error.__class__.__name__})")
    return values


@dataclass(frozen=True)
class _Unreadable:
    reason: str


def check(fix: bool = False) -> list[Problem]:
    """Every stored value that breaks the input rules; with `fix`, the mechanical ones
    (forbidden characters in text) are repaired, audited, and marked fixed."""
    problems: list[Problem] = []
    metadata = db.metadata
    for rules in _tables():
        table = metadata.tables.get(rules.table)
        if table is None:
            continue
        columns = [name for name in rules.columns if name in table.c]
        try:
            for row_id, values in _rows(table, columns):
                for name in columns:
                    problems.extend(_check_cell(table, rules, row_id, name, values[name], fix))
        except Exception as error:  # noqa: BLE001 - the check lists, it never crashes
            db.session.rollback()
            problems.append(Problem(rules.table, "-", "-",
                                    f"could not be checked ({error.__class__.__name__}: {error})"))
    return problems


def _check_cell(table: sa.Table, rules: TableRules, row_id: Any, name: str, value: Any,
                fix: bool) -> list[Problem]:
    if isinstance(value, _Unreadable):
        return [Problem(rules.table, row_id, name, value.reason)]
    rule = rules.columns[name]
    try:
        message = _check_value(value, rule)
    except Exception as error:  # noqa: BLE001 - an unexpected value type
        return [Problem(rules.table, row_id, name, f"could not be checked ({error.__class__.__name__})")]
    if message is None:
        return []
    problem = Problem(rules.table, row_id, name, message)
    if fix and rule[0] == "text":
        problem.fixed = _fix_text(table, row_id, name, value, rule[1])
        if not problem.fixed:
            problem.message += " (nothing would be left: fix it by hand)"
    return [problem]


def _fix_text(table: sa.Table, row_id: Any, name: str, value: str, multiline: bool) -> bool:
    new = _fixed_text(value, multiline)
    if new is None and not table.c[name].nullable:
        return False
    values: dict[str, Any] = {name: new}
    if "version" in table.c:
        values["version"] = table.c.version + 1
    try:
        db.session.execute(sa.update(table).where(table.c.id == row_id).values(**values))
        municipality_id = None
        if "municipality_id" in table.c:
            municipality_id = db.session.scalar(
                sa.select(table.c.municipality_id).where(table.c.id == row_id))
        audit.record(None, "data.fix", table.name, row_id, before={name: value},
                     after={name: new}, municipality_id=municipality_id)
        db.session.commit()
    except Exception:  # noqa: BLE001 - listed as left, never a crash
        db.session.rollback()
        return False
    return True


data_cli = AppGroup("data", help="Checks of the stored data.")


@data_cli.command("check")
@click.option("--fix", is_flag=True,
              help="Strip control and bidirectional characters from text (audited).")
def check_command(fix: bool) -> None:
    """List stored values that break the input rules, per table, id and column."""
    problems = check(fix=fix)
    for problem in problems:
        click.echo(str(problem))
    fixed = sum(problem.fixed for problem in problems)
    left = len(problems) - fixed
    if not problems:
        click.echo("No stored value breaks the input rules.")
    else:
        click.echo(f"{len(problems)} problems: {fixed} fixed, {left} left to fix by hand.")


def init_app(app) -> None:
    app.cli.add_command(data_cli)
