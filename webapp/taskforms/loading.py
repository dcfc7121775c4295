"""Loading form definitions: the schema file and its optional UI hints read as strict JSON, checked
(schema_parsing.py, ui_parsing.py) and made into one FormDefinition; a folder of them at once."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from .definition import FormDefinition, FormDefinitionError
from .schema_parsing import check_top_level, parse_checks, parse_property, parse_required_when, required_names
from .ui_parsing import field_spec, parse_ui

SCHEMA_SUFFIX = ".schema.json"
UI_SUFFIX = ".uischema.json"


def _parse_json(form: str, data: object, what: str) -> Any:
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise FormDefinitionError(form, what, f"expected bytes, got {type(data).__name__}")
    try:
        text = bytes(data).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormDefinitionError(form, what, f"not UTF-8 (byte {exc.start})") from None
    text = text.removeprefix("\ufeff")

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict:
        result: dict = {}
        for key, value in pairs:
            if key in result:
                raise FormDefinitionError(form, key, f"duplicate key in the {what} file")
            result[key] = value
        return result

    def no_constant(name: str) -> None:
        raise FormDefinitionError(form, what, f"{name} is not JSON")

    try:
        return json.loads(text, object_pairs_hook=no_duplicates, parse_constant=no_constant)
    except FormDefinitionError:
        raise
    except (ValueError, RecursionError) as exc:
        raise FormDefinitionError(form, what, f"malformed JSON ({exc})") from None


def load_definition(name: str, schema_bytes: bytes, ui_bytes: bytes | None) -> FormDefinition:
    """Parse and check one definition; raise FormDefinitionError when outside the subset."""
    if not isinstance(name, str) or not name.strip():
        raise FormDefinitionError(str(name), "name", "a form needs a non-empty name")
    schema = _parse_json(name, schema_bytes, "schema")
    ui = {} if ui_bytes is None else _parse_json(name, ui_bytes, "ui")
    raw_props = check_top_level(name, schema)
    props = {prop_name: parse_property(name, prop_name, prop) for prop_name, prop in raw_props.items()}
    required = required_names(name, schema.get("required", []), props)
    required_when = parse_required_when(name, schema.get("x-required-when", {}), props)
    ui = parse_ui(name, ui, props)

    order = list(ui.get("ui:order", []))
    order += [prop_name for prop_name in props if prop_name not in order]
    specs = tuple(
        field_spec(
            props[field_name],
            ui.get(field_name, {}),
            field_name in required,
            required_when.get(field_name, ()),
        )
        for field_name in order
    )
    checks = parse_checks(name, schema.get("x-checks", []), {spec.name: spec for spec in specs})
    canonical = json.dumps([name, schema, ui], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return FormDefinition(name=name, schema=schema, ui=ui, fields=specs, checks=checks, digest=digest)


def load_definitions_from_dir(path: str | Path) -> dict[str, FormDefinition]:
    """Load every `<name>.schema.json` (with its optional `<name>.uischema.json`) in a folder."""
    folder = Path(path)
    if not folder.is_dir():
        raise FileNotFoundError(f"no form folder at {folder}")
    definitions = {}
    for schema_path in sorted(folder.glob(f"*{SCHEMA_SUFFIX}")):
        name = schema_path.name[: -len(SCHEMA_SUFFIX)]
        ui_path = folder / f"{name}{UI_SUFFIX}"
        ui_bytes = ui_path.read_bytes() if ui_path.is_file() else None
        definitions[name] = load_definition(name, schema_path.read_bytes(), ui_bytes)
    for ui_path in sorted(folder.glob(f"*{UI_SUFFIX}")):
        name = ui_path.name[: -len(UI_SUFFIX)]
        if name not in definitions:
            raise FormDefinitionError(name, ui_path.name, f"UI file without {name}{SCHEMA_SUFFIX}")
    return definitions
