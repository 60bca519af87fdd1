"""Validation rules beyond pydantic, in Laravel's vocabulary, and the validator that runs them.

    from foundry import validation as v

    rules = {
        "email": [v.email(), v.unique("users", "email", ignore=user.id)],
        "password": [v.min_length(12), v.confirmed()],
        "role": [v.in_(["admin", "editor"])],
        "team_id": [v.exists("teams", "id")],
    }
    await v.Validator(data, rules).validate(session)   # 422 ValidationError on failure

Form requests (:mod:`foundry.http.requests`) run these for you after pydantic has checked the shape,
and spell presence in the field's type: ``title: v.Sometimes[str]`` (:mod:`.fields`).
"""

from foundry.validation.database import Exists, Unique, exists, unique
from foundry.validation.dependent import (
    Different,
    RequiredUnless,
    RequiredWith,
    Same,
    different,
    required_unless,
    required_with,
    same,
)
from foundry.validation.errors import AfterHook, ErrorBag
from foundry.validation.fields import Filled, Nullable, Present, Prohibited, Required, Sometimes
from foundry.validation.files import (
    Dimensions,
    File,
    FileInput,
    ImageFile,
    Mimes,
    dimensions,
    file,
    image,
    mimes,
)
from foundry.validation.messages import Messages, fill
from foundry.validation.presence import filled, present, prohibited, required, sometimes
from foundry.validation.rule import MISSING, BaseRule, DatabaseRule, Rule, expand, is_empty, lookup
from foundry.validation.rules import (
    Confirmed,
    Email,
    In,
    Max,
    MaxLength,
    Min,
    MinLength,
    NotIn,
    Regex,
    RequiredIf,
    confirmed,
    email,
    in_,
    max,
    max_length,
    min,
    min_length,
    not_in,
    regex,
    required_if,
)
from foundry.validation.validator import RuleSet, Validator

__all__ = [
    "MISSING",
    "AfterHook",
    "ErrorBag",
    "Filled",
    "Nullable",
    "Present",
    "Prohibited",
    "Required",
    "Sometimes",
    "BaseRule",
    "Confirmed",
    "DatabaseRule",
    "Different",
    "Dimensions",
    "Email",
    "Exists",
    "File",
    "FileInput",
    "ImageFile",
    "In",
    "Max",
    "MaxLength",
    "Messages",
    "Mimes",
    "Min",
    "MinLength",
    "NotIn",
    "Regex",
    "RequiredIf",
    "RequiredUnless",
    "RequiredWith",
    "Rule",
    "RuleSet",
    "Same",
    "Unique",
    "Validator",
    "confirmed",
    "different",
    "dimensions",
    "email",
    "exists",
    "expand",
    "file",
    "fill",
    "filled",
    "image",
    "in_",
    "is_empty",
    "lookup",
    "max",
    "max_length",
    "min",
    "mimes",
    "min_length",
    "not_in",
    "present",
    "prohibited",
    "regex",
    "required",
    "required_if",
    "required_unless",
    "required_with",
    "same",
    "sometimes",
    "unique",
]
