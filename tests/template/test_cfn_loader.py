"""The template reader turns short tags into the long form the other checks rely on."""

import pytest

from .cfn import (
    Template,
    condition_holds,
    effective_function_properties,
    load_template_text,
    mlc_variables_read_by,
    referenced_resource,
    resolve_if,
    sub_references,
    substitute,
)

SAMPLE = """
Parameters:
  Switch: {Type: String, Default: "false"}
Conditions:
  IsOn: !Equals [!Ref Switch, "true"]
  IsOff: !Not [!Condition IsOn]
Globals:
  Function:
    Runtime: python3.13
    Layers: [!Ref Shared]
    Environment: {Variables: {A: "1", B: "global"}}
Resources:
  Shared: {Type: AWS::Serverless::LayerVersion, Properties: {}}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Layers: [!Ref Extra]
      Environment: {Variables: {B: "local"}}
      Arn: !GetAtt Key.Arn
      Name: !Sub "${AWS::StackName}-${Key.Arn}/x"
      State: !If [IsOn, ENABLED, DISABLED]
"""


@pytest.fixture
def sample() -> Template:
    return load_template_text(SAMPLE)


def test_short_tags_become_long_form(sample: Template) -> None:
    props = sample["Resources"]["Fn"]["Properties"]
    assert props["Arn"] == {"Fn::GetAtt": ["Key", "Arn"]}
    assert props["Name"] == {"Fn::Sub": "${AWS::StackName}-${Key.Arn}/x"}
    assert props["State"] == {"Fn::If": ["IsOn", "ENABLED", "DISABLED"]}
    assert sample["Conditions"]["IsOff"] == {"Fn::Not": [{"Condition": "IsOn"}]}


def test_references_are_found(sample: Template) -> None:
    props = sample["Resources"]["Fn"]["Properties"]
    assert referenced_resource(props["Arn"]) == "Key"
    assert referenced_resource({"Ref": "Shared"}) == "Shared"
    assert referenced_resource("Key") is None
    assert sub_references(props["Name"]) == {"AWS::StackName", "Key"}


def test_globals_merge_like_sam(sample: Template) -> None:
    props = effective_function_properties(sample, "Fn")
    assert props["Runtime"] == "python3.13"
    assert props["Layers"] == [{"Ref": "Shared"}, {"Ref": "Extra"}]
    assert props["Environment"]["Variables"] == {"A": "1", "B": "local"}


def test_conditions_follow_parameters(sample: Template) -> None:
    state = sample["Resources"]["Fn"]["Properties"]["State"]
    assert resolve_if(sample, state, {"Switch": "false"}) == "DISABLED"
    assert resolve_if(sample, state, {"Switch": "true"}) == "ENABLED"
    assert condition_holds(sample, "IsOff", {"Switch": "false"})


def test_substitute_rejects_unknown_names() -> None:
    assert substitute('{"a": "${X}"}', {"X": "1"}) == '{"a": "1"}'
    with pytest.raises(KeyError):
        substitute("${Y}", {"X": "1"})


def test_mlc_variables_are_found_in_source() -> None:
    source = """
TABLE = os.environ["MLC_STATE_TABLE"]
prefix = env.get('MLC_SECRET_PREFIX', "")
PREFIX = "MLC_"
# MLC_NOT_QUOTED
"""
    assert mlc_variables_read_by(source) == {"MLC_STATE_TABLE", "MLC_SECRET_PREFIX"}
