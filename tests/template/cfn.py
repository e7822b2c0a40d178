"""Read a SAM/CloudFormation template as plain data, without the AWS tools.

Short tags become their long form (``!Ref X`` -> ``{"Ref": "X"}``, ``!GetAtt A.B`` ->
``{"Fn::GetAtt": ["A", "B"]}``, ``!Sub s`` -> ``{"Fn::Sub": s}``), so checks can look at one shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_PATH = REPO_ROOT / "template.yaml"

Template = dict[str, Any]


class CfnLoader(yaml.SafeLoader):
    """A safe loader that also understands CloudFormation's short intrinsic-function tags."""


def _long_form(tag: str, value: Any) -> dict[str, Any]:
    name = tag.removeprefix("!")
    if name in ("Ref", "Condition"):
        return {name: value}
    if name == "GetAtt" and isinstance(value, str):
        resource, _, attribute = value.partition(".")
        return {"Fn::GetAtt": [resource, attribute]}
    return {f"Fn::{name}": value}


def _construct_intrinsic(loader: CfnLoader, tag_suffix: str, node: yaml.Node) -> dict[str, Any]:
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        assert isinstance(node, yaml.MappingNode)
        value = loader.construct_mapping(node, deep=True)
    return _long_form("!" + tag_suffix, value)


CfnLoader.add_multi_constructor("!", _construct_intrinsic)


def load_template_text(text: str) -> Template:
    data = yaml.load(text, Loader=CfnLoader)  # CfnLoader derives from SafeLoader
    assert isinstance(data, dict), "a template is a mapping"
    return data


def load_template(path: Path = TEMPLATE_PATH) -> Template:
    return load_template_text(path.read_text(encoding="utf-8"))


def resources(template: Template, resource_type: str) -> dict[str, dict[str, Any]]:
    """Logical id -> resource, for every resource of one type."""
    return {name: res for name, res in template["Resources"].items() if res["Type"] == resource_type}


def referenced_resource(value: Any) -> str | None:
    """The logical id a ``Ref`` or ``Fn::GetAtt`` points at, else None."""
    if isinstance(value, dict) and len(value) == 1:
        if "Ref" in value:
            return str(value["Ref"])
        if "Fn::GetAtt" in value:
            return str(value["Fn::GetAtt"][0])
    return None


def sub_references(value: Any) -> set[str]:
    """Names used as ``${Name}`` or ``${Name.Attr}`` in an ``Fn::Sub`` string."""
    if not (isinstance(value, dict) and isinstance(value.get("Fn::Sub"), str)):
        return set()
    return {match.split(".")[0] for match in re.findall(r"\$\{([^}!]+)\}", value["Fn::Sub"])}


def effective_function_properties(template: Template, name: str) -> dict[str, Any]:
    """A serverless function's properties with ``Globals.Function`` applied the way SAM merges them.

    Maps merge key by key (the function wins), lists concatenate (globals first), scalars are overridden.
    """
    merged = _merge(template.get("Globals", {}).get("Function", {}), template["Resources"][name]["Properties"])
    assert isinstance(merged, dict)
    return merged


def _merge(globals_value: Any, local_value: Any) -> Any:
    if isinstance(globals_value, dict) and isinstance(local_value, dict):
        keys = globals_value.keys() | local_value.keys()
        return {
            key: _merge(globals_value[key], local_value[key])
            if key in globals_value and key in local_value
            else local_value.get(key, globals_value.get(key))
            for key in keys
        }
    if isinstance(globals_value, list) and isinstance(local_value, list):
        return globals_value + local_value
    return local_value


def policy_statements(template: Template) -> Iterator[tuple[str, dict[str, Any]]]:
    """(logical id, statement) for every IAM statement the template grants to an identity."""
    for name, res in template["Resources"].items():
        props = res.get("Properties", {})
        documents: list[Any] = []
        if res["Type"] in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            documents.append(props.get("PolicyDocument"))
        elif res["Type"] == "AWS::IAM::Role":
            documents.extend(policy.get("PolicyDocument") for policy in props.get("Policies", []))
        elif res["Type"] == "AWS::Serverless::Function":
            documents.extend(p for p in props.get("Policies", []) if isinstance(p, dict) and "Statement" in p)
        for document in documents:
            for statement in as_list(document["Statement"]):
                yield name, statement


def mlc_variables_read_by(source: str) -> set[str]:
    """The ``MLC_*`` environment variable names a module's source spells out as string literals."""
    return set(re.findall(r"[\"'](MLC_[A-Z0-9_]+)[\"']", source))


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def parameter_defaults(template: Template) -> dict[str, str]:
    return {name: str(param["Default"]) for name, param in template["Parameters"].items() if "Default" in param}


def substitute(sub_string: str, values: dict[str, str]) -> str:
    """Expand ``${Name}`` placeholders of an ``Fn::Sub`` string from ``values``; unknown names fail."""

    def expand(match: re.Match[str]) -> str:
        return values[match.group(1)]

    return re.sub(r"\$\{([^}!]+)\}", expand, sub_string)


def condition_holds(template: Template, condition: str, parameters: dict[str, str]) -> bool:
    """Evaluate a condition built from ``Fn::Equals``/``Fn::Not``/``Fn::And``/``Fn::Or`` over parameters."""
    return _evaluate(template, template["Conditions"][condition], parameters)


def _evaluate(template: Template, expression: Any, parameters: dict[str, str]) -> bool:
    if not isinstance(expression, dict) or len(expression) != 1:
        raise ValueError(f"unsupported condition {expression!r}")
    ((function, argument),) = expression.items()
    if function == "Condition":
        return condition_holds(template, argument, parameters)
    if function == "Fn::Equals":
        left, right = (_value(item, parameters) for item in argument)
        return left == right
    if function == "Fn::Not":
        return not _evaluate(template, argument[0], parameters)
    if function == "Fn::And":
        return all(_evaluate(template, item, parameters) for item in argument)
    if function == "Fn::Or":
        return any(_evaluate(template, item, parameters) for item in argument)
    raise ValueError(f"unsupported condition function {function}")


def _value(item: Any, parameters: dict[str, str]) -> str:
    if isinstance(item, dict) and "Ref" in item:
        return parameters[item["Ref"]]
    return str(item)


def resolve_if(template: Template, value: Any, parameters: dict[str, str]) -> Any:
    """The branch an ``Fn::If`` takes for these parameter values (other values pass through)."""
    if isinstance(value, dict) and "Fn::If" in value:
        condition, when_true, when_false = value["Fn::If"]
        return when_true if condition_holds(template, condition, parameters) else when_false
    return value
