"""Saved Logs Insights queries: on log groups of this stack, named under the stack, and over what the code really
logs (the messages filtered on, the keys its JSON lines carry, the retry lines' wording)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from mlconnector.engine.report import RunReport
from mlconnector.systems.registry import SYSTEMS

from .cfn import REPO_ROOT, Template, referenced_resource, resources

PACKAGE = REPO_ROOT / "src" / "shared" / "mlconnector"
POWERTOOLS_KEYS = {"message", "level", "timestamp", "service", "location"}
QUERY_WORDS = {"fields", "filter", "sort", "limit", "stats", "parse", "as", "and", "or", "by", "asc", "desc", "like"}
QUERY_FUNCTIONS = {"count", "bin"}


def _queries(template: Template) -> dict[str, dict[str, Any]]:
    found = {name: res["Properties"] for name, res in resources(template, "AWS::Logs::QueryDefinition").items()}
    assert found, "no saved query"
    return found


def _source() -> str:
    return "\n".join(path.read_text() for path in PACKAGE.rglob("*.py"))


def _logged_messages() -> set[str]:
    return set(re.findall(r"logger\.(?:info|warning|error|exception)\(\s*\"([^\"]+)\"", _source()))


def _logged_keys() -> set[str]:
    """Keys of the engine's JSON lines: extra={...} keys, appended keys, Powertools' own, the run report's."""
    source = _source()
    keys = set(POWERTOOLS_KEYS)
    for extra in re.findall(r"extra=\{([^}]*)\}", source):
        keys |= set(re.findall(r"\"(\w+)\":", extra))
    for appended in re.findall(r"logger\.append_keys\(([^)]*)\)", source):
        keys |= set(re.findall(r"(\w+)=", appended))
    report = RunReport("r", "f", "c", False, "t").to_dict()
    keys |= {f"report.{key}" for key in report} | {f"report.counts.{key}" for key in report["counts"]}
    return keys


def _fields_used(query: str) -> set[str]:
    """Field names a query reads: not comments, strings, regexes, @-fields, aliases, keywords or functions."""
    text = "\n".join(line.split("#", 1)[0] for line in query.splitlines())
    parsed = set(re.findall(r"\(\?<(\w+)>", text))  # fields a parse command extracts
    text = re.sub(r"\"[^\"]*\"|/[^/]*/", " ", text)
    aliases = set(re.findall(r"\bas\s+(\w+)", text))
    names = set(re.findall(r"(?<![@\w.])([A-Za-z_][\w.]*)\b(?!\s*\()", text))
    return names - parsed - aliases - QUERY_WORDS - QUERY_FUNCTIONS


def test_every_query_reads_log_groups_of_this_stack(template: Template) -> None:
    log_groups = set(resources(template, "AWS::Logs::LogGroup"))
    for name, query in _queries(template).items():
        assert query["LogGroupNames"], name
        for group in query["LogGroupNames"]:
            assert referenced_resource(group) in log_groups, f"{name}: {group} is not a log group of the stack"


def test_queries_are_named_under_the_stack(template: Template) -> None:
    names = [query["Name"]["Fn::Sub"] for query in _queries(template).values()]
    assert all(name.startswith("ml-connector/${AWS::StackName}/") for name in names), names
    assert len(set(names)) == len(names)


@pytest.mark.parametrize(
    ("resource", "groups"),
    [
        ("RecordHistoryQuery", {"PollerLogGroup", "WebhookProcessorLogGroup", "WebhookVerifierLogGroup"}),
        ("FailedRecordsOfRunQuery", {"PollerLogGroup", "WebhookProcessorLogGroup"}),
        ("SlowestRunsQuery", {"PollerLogGroup"}),
        ("RetriesBySystemQuery", {"PollerLogGroup", "WebhookProcessorLogGroup"}),
    ],
)
def test_each_question_has_its_query_on_the_functions_that_log_the_answer(
    template: Template, resource: str, groups: set[str]
) -> None:
    query = _queries(template)[resource]
    assert {referenced_resource(group) for group in query["LogGroupNames"]} == groups


def test_messages_filtered_on_are_ones_the_code_logs(template: Template) -> None:
    logged = _logged_messages()
    filtered = {m for q in _queries(template).values() for m in re.findall(r'message = "([^"]+)"', q["QueryString"])}
    assert {"record failed", "run finished"} <= filtered
    assert filtered <= logged, f"no code logs {sorted(filtered - logged)}"


def test_fields_read_are_keys_the_code_logs(template: Template) -> None:
    logged = _logged_keys()
    for name, query in _queries(template).items():
        used = _fields_used(query["QueryString"])
        assert used <= logged, f"{name} reads {sorted(used - logged)}, which no log line carries"


def test_the_record_and_run_queries_filter_on_the_record_key_and_run_id(template: Template) -> None:
    queries = _queries(template)
    assert "record_key =" in queries["RecordHistoryQuery"]["QueryString"]
    assert 'run_id = "' in queries["FailedRecordsOfRunQuery"]["QueryString"]
    assert "sort duration_ms desc" in queries["SlowestRunsQuery"]["QueryString"]


def test_retries_are_found_by_the_retry_lines_wording_and_every_system_is_named(template: Template) -> None:
    query = _queries(template)["RetriesBySystemQuery"]["QueryString"]
    (wording,) = re.findall(r"@message like /([^/]+)/", query)
    retry_format = (PACKAGE / "http.py").read_text()
    assert re.search(r"log\.warning\(\"%s; " + re.escape(wording) + r" ", retry_format), "the retry line changed"
    (alternatives,) = re.findall(r"\(\?<system>([^)]+)\)", query)
    named = {name.lower() for name in alternatives.split("|")}
    assert set(SYSTEMS) <= named, f"systems the query cannot name: {sorted(set(SYSTEMS) - named)}"
