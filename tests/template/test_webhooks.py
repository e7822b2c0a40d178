"""The Commerce webhook path: throttled route -> verifier -> encrypted queue with an alarmed DLQ -> processor."""

import json

from mlconnector.config import SECRET_CACHE_VARIABLE
from mlconnector.webhooks.queue import QUEUE_URL_VARIABLE
from mlconnector.webhooks.verifier import WEBHOOK_SECRET_SYSTEM

from .cfn import REPO_ROOT, Template, as_list, effective_function_properties, referenced_resource, resources

EVENTS = REPO_ROOT / "events"


def test_route_posts_to_the_verifier_and_is_throttled(template: Template) -> None:
    verifier = effective_function_properties(template, "WebhookVerifierFunction")
    (route,) = [e["Properties"] for e in verifier["Events"].values() if e["Type"] == "HttpApi"]
    assert (route["Method"], route["Path"]) == ("POST", "/webhooks/commerce/{connection}")
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
        if [referenced_resource(d["Value"]) for d in a["Properties"]["Dimensions"]] == ["WebhookDeadLetterQueue"]
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
    assert "/webhooks/commerce/{connection}" in outputs["WebhookUrl"]["Value"]["Fn::Sub"]
    assert referenced_resource(outputs["WebhookQueueUrl"]["Value"]) == "WebhookQueue"
    assert referenced_resource(outputs["WebhookDeadLetterQueueUrl"]["Value"]) == "WebhookDeadLetterQueue"


def test_sample_events_fit_the_routes(template: Template) -> None:
    delivery = json.loads((EVENTS / "webhook-commerce-delivery.json").read_text())
    assert delivery["routeKey"] == "POST /webhooks/commerce/{connection}"
    assert delivery["pathParameters"]["connection"] == template["Parameters"]["ConnectionName"]["Default"]
    batch = json.loads((EVENTS / "webhook-processor-sqs.json").read_text())
    (record,) = batch["Records"]
    assert set(json.loads(record["body"])) == {"connection", "entity_type", "entity_id", "event_id"}
