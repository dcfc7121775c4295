"""Task forms: JSON Schema (subset) + UI hints → WTForms classes and server-side validation.

Imports only wtforms, the standard library and `webapp.rules`. See definition.py for the
supported subset (loading.py, schema_parsing.py and ui_parsing.py check it), checks.py for the
named cross-field rules, values.py for how one value is cleaned.
"""

from .check_params import CHECK_PARAMS
from .checks import CHECKS
from .definition import Choice, FieldSpec, FormDefinition, FormDefinitionError
from .fields import TaskForm, build_form_class
from .loading import load_definition, load_definitions_from_dir
from .messages import message
from .validation import Submission, validate_submission

__all__ = [
    "CHECKS",
    "CHECK_PARAMS",
    "Choice",
    "FieldSpec",
    "FormDefinition",
    "FormDefinitionError",
    "Submission",
    "TaskForm",
    "build_form_class",
    "load_definition",
    "load_definitions_from_dir",
    "message",
    "validate_submission",
]
