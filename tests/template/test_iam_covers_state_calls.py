"""Every DynamoDB call the state layer makes is allowed by the functions' policies.

moto does not enforce IAM, so a missing action (BatchGetItem was one) would only show in AWS. This reads the
pynamodb calls in the layer's source and checks the template grants each one.
"""

from __future__ import annotations

import re
from pathlib import Path

from .cfn import Template
from .test_iam import TABLE_ACTIONS

LAYER = Path(__file__).resolve().parents[2] / "src" / "shared" / "mlconnector"

# pynamodb call → the DynamoDB action it needs.
CALLS = {
    r"\.batch_get\(": "dynamodb:BatchGetItem",
    r"\.batch_write\(": "dynamodb:BatchWriteItem",
    r"\.query\(": "dynamodb:Query",
    r"\.save\(": "dynamodb:PutItem",
    r"\.delete\(": "dynamodb:DeleteItem",
    r"\.update\(": "dynamodb:UpdateItem",
    r"\.scan\(": "dynamodb:Scan",
}


def actions_the_layer_needs() -> set[str]:
    needed = {"dynamodb:GetItem"}  # Model.get
    for path in LAYER.rglob("*.py"):
        text = path.read_text()
        if "pynamodb" not in text and "mlconnector.state.models" not in text:
            continue
        needed.update(action for pattern, action in CALLS.items() if re.search(pattern, text))
    return needed


def test_the_layer_makes_no_scan() -> None:
    assert "dynamodb:Scan" not in actions_the_layer_needs()


def test_every_dynamodb_action_the_layer_uses_is_granted(template: Template) -> None:
    missing = actions_the_layer_needs() - TABLE_ACTIONS
    assert not missing, f"the state layer calls {sorted(missing)}, which the functions' policies do not grant"
