"""The webhook path: one throttled route for every sender -> verifier -> encrypted queue with an alarmed DLQ ->
processor."""

import json

from mlconnector.config import SECRET_CACHE_VARIABLE
from mlconnector.webhooks.queue import QUEUE_URL_VARIABLE
from mlconnector.webhooks.registry import senders, spec_for
from mlconnector.webhooks.senders.commerce import SPEC as COMMERCE

from .cfn import REPO_ROOT, Template, as_list, effective_function_properties, referenced_resource, resources

WEBHOOK_SECRET_SYSTEM = COMMERCE.secret

EVENTS = REPO_ROOT / "events"
ROUTE = "/webhooks/{system}/{connection}"


def test_route_posts_to_the_verifier_and_is_throttled(template: Template) -> None:
    verifier = effective_function_properties(template, "WebhookVerifierFunction")
    (route,) = [e["Properties"] for e in verifier["Events"].values() if e["Type"] == "HttpApi"]
    assert (route["Method"], route["Path"]) == ("POST", ROUTE)  # one route: the sender is a path parameter
    api = template["Resources"][referenced_resource(route["ApiId"])]["Properties"]
    assert api["DefaultRouteSettings"]["ThrottlingRateLimit"] == {"Ref": "WebhookRateLimit"}
    assert api["DefaultRouteSettings"]["ThrottlingBurstLimit"] == {"Ref": "WebhookBurstLimit"}
    assert "header" not in api["AccessLogSettings"]["Format"].lower()


def test_verifier_is_told_the_queue_and_may_only_send_to_it(template: Template) -> None:
    verifier = effective_function_properties(template, "WebhookVerifierFunction")
    assert verifier["Environment"]["Variables"][QUEUE_URL_VARIABLE] == {"Ref": "WebhookQueue"}
    policy = template["Resources"]["WebhookVerifierPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    sqs = [s for s in policy if any(a.startswith("sqs:") for a in as_list(s["Action"]))]
    assert {a for s in sqs for a in as_list(s["Action"])} == {"sqs:SendMessage"}
    tables = {
        referenced_resource(r) for s in policy if "dynamodb:PutItem" in as_list(s["Action"]) for r in s["Resource"]
    }
    assert tables == {"StateTable", "AuditTable"}  # idempotency + quarantine, and the audit ledger


def test_processor_reports_partial_batch_failures_from_the_queue(template: Template) -> None:
    processor = effective_function_properties(template, "WebhookProcessorFunction")
    (source,) = [e["Properties"] for e in processor["Events"].values() if e["Type"] == "SQS"]
    assert referenced_resource(source["Queue"]) == "WebhookQueue"
    assert source["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    queue = template["Resources"]["WebhookQueue"]["Properties"]
    assert queue["VisibilityTimeout"] >= 6 * processor["Timeout"]


def test_queue_and_dlq_are_encrypted_and_the_dlq_is_alarmed(template: Template) -> None:
    queue = template["Resources"]["WebhookQueue"]["Properties"]
    assert referenced_resource(queue["RedrivePolicy"]["deadLetterTargetArn"]) == "WebhookDeadLetterQueue"
    assert 1 < queue["RedrivePolicy"]["maxReceiveCount"] <= 10
    for name in ("WebhookQueue", "WebhookDeadLetterQueue"):
        key = referenced_resource(template["Resources"][name]["Properties"]["KmsMasterKeyId"])
        assert template["Resources"][key]["Type"] == "AWS::KMS::Key"
    (alarm,) = [
        a
        for a in resources(template, "AWS::CloudWatch::Alarm").values()
        if [referenced_resource(d["Value"]) for d in a["Properties"].get("Dimensions", [])]
        == ["WebhookDeadLetterQueue"]
    ]
    assert alarm["Properties"]["MetricName"] == "ApproximateNumberOfMessagesVisible"
    assert alarm["Properties"]["Threshold"] == 0


def test_verifier_keeps_its_secret_for_minutes_not_per_delivery(template: Template) -> None:
    variables = effective_function_properties(template, "WebhookVerifierFunction")["Environment"]["Variables"]
    seconds = variables[SECRET_CACHE_VARIABLE]
    assert str(seconds).isdigit()
    assert 60 <= int(seconds) <= 900  # a rotated key is picked up within minutes


def test_webhook_secret_is_a_placeholder_named_as_the_verifier_reads_it(template: Template) -> None:
    props = template["Resources"]["DefaultCommerceWebhookSecret"]["Properties"]
    assert props["Name"] == {"Fn::Sub": f"ml-connector/${{AWS::StackName}}/default/{WEBHOOK_SECRET_SYSTEM}"}
    body = json.loads(props["SecretString"])
    assert body["public_key_pem"] == body["hmac_secret"] == ""


def test_outputs_name_the_webhook_url_and_queues(template: Template) -> None:
    outputs = template["Outputs"]
    assert ROUTE in outputs["WebhookUrl"]["Value"]["Fn::Sub"]
    assert referenced_resource(outputs["WebhookQueueUrl"]["Value"]) == "WebhookQueue"
    assert referenced_resource(outputs["WebhookDeadLetterQueueUrl"]["Value"]) == "WebhookDeadLetterQueue"


def test_sample_events_fit_the_routes(template: Template) -> None:
    delivery = json.loads((EVENTS / "webhook-commerce-delivery.json").read_text())
    assert delivery["routeKey"] == f"POST {ROUTE}"
    assert delivery["pathParameters"]["connection"] == template["Parameters"]["ConnectionName"]["Default"]
    spec_for(delivery["pathParameters"]["system"])  # a registered sender
    batch = json.loads((EVENTS / "webhook-processor-sqs.json").read_text())
    (record,) = batch["Records"]
    assert set(json.loads(record["body"])) == {"connection", "system", "entity_type", "entity_id", "event_id"}


def test_every_webhook_secret_placeholder_is_named_for_a_registered_sender(template: Template) -> None:
    """Placeholders are optional (an operator may create a sender's secret by hand), but one that exists must be
    named as the verifier reads that sender's secret, with its key material empty."""
    names = {f"ml-connector/${{AWS::StackName}}/default/{spec.secret}" for spec in senders()}
    placeholders = {
        logical: props["Properties"]
        for logical, props in resources(template, "AWS::SecretsManager::Secret").items()
        if "webhook" in str(props["Properties"].get("Name", "")).lower()
    }
    assert placeholders  # Commerce's
    for logical, props in placeholders.items():
        assert props["Name"]["Fn::Sub"] in names, logical
        assert set(json.loads(props["SecretString"])) <= {"public_key_pem", "hmac_secret", "settings"}
