"""One error taxonomy: every system's classes are kinds of the one root, and a kind says what to do."""

from __future__ import annotations

import pytest

from mlconnector import config, errors
from mlconnector.errors import Action, ConnectorError, Rule, StatusTable
from mlconnector.systems.commerce import errors as commerce
from mlconnector.systems.intacct import errors as intacct
from mlconnector.systems.marketo import errors as marketo


def test_one_configuration_kind_for_the_deployment_and_every_system() -> None:
    assert config.ConfigurationError is errors.ConfigurationError
    for system_class in (intacct.ConfigurationError, marketo.ConfigurationError, commerce.ConfigurationError):
        assert issubclass(system_class, config.ConfigurationError)
        assert issubclass(system_class, RuntimeError)  # as config.ConfigurationError always was
    with pytest.raises(config.ConfigurationError):
        raise marketo.ConfigurationError("Marketo secret is missing or has empty keys: client_secret")


@pytest.mark.parametrize(
    ("system_class", "kind"),
    [
        (intacct.AuthenticationError, errors.AuthenticationError),
        (intacct.SessionExpired, errors.TokenRejected),
        (intacct.TransientError, errors.TransientError),
        (intacct.RateLimited, errors.RateLimited),
        (intacct.ParseError, errors.ParseError),
        (intacct.UnknownOutcome, errors.UnknownOutcome),
        (intacct.DuplicateControlId, errors.UnknownOutcome),
        (intacct.ResultError, errors.RecordError),
        (marketo.AuthenticationError, errors.AuthenticationError),
        (marketo.TokenRejected, errors.TokenRejected),
        (marketo.TransientError, errors.TransientError),
        (marketo.RateLimited, errors.RateLimited),
        (marketo.QuotaExceeded, errors.QuotaExceeded),
        (marketo.ParseError, errors.ParseError),
        (marketo.RequestError, errors.RecordError),
        (commerce.AuthenticationError, errors.AuthenticationError),
        (commerce.TokenRejected, errors.TokenRejected),
        (commerce.TransientError, errors.TransientError),
        (commerce.RateLimited, errors.RateLimited),
        (commerce.ParseError, errors.ParseError),
        (commerce.RequestError, errors.RecordError),
    ],
)
def test_each_system_class_is_a_kind_of_the_one_root(system_class: type, kind: type) -> None:
    assert issubclass(system_class, kind)
    assert issubclass(system_class, ConnectorError)


def test_system_roots_share_the_root() -> None:
    for root in (intacct.IntacctError, marketo.MarketoError, commerce.CommerceError):
        assert issubclass(root, ConnectorError)


def test_a_kind_says_what_to_do() -> None:
    assert marketo.QuotaExceeded("q").action is Action.STOP
    assert marketo.RateLimited("r").action is Action.WAIT_AND_RETRY
    assert marketo.TokenRejected("t").action is Action.REFRESH_AND_RETRY
    assert intacct.UnknownOutcome("u").action is Action.VERIFY
    assert intacct.ResultError("r").action is Action.SKIP_RECORD
    assert commerce.ConfigurationError("c").action is Action.FAIL
    assert errors.action_of(ValueError("not ours")) is Action.FAIL


def test_rate_limited_was_refused_before_processing() -> None:
    assert not commerce.RateLimited("429", status=429).may_have_run
    assert not marketo.RateLimited("606").may_have_run


def test_status_table_exact_then_class_then_default() -> None:
    table = StatusTable(
        {429: Rule(errors.RateLimited), "5xx": Rule(errors.TransientError)}, default=Rule(errors.RecordError)
    )
    assert table.rule(429).kind is errors.RateLimited
    assert table.rule(503).action is Action.RETRY
    assert table.rule(404).kind is errors.RecordError
    assert table.rows()[-1] == ("other", "RecordError", "skip_record")


def test_scrub_is_shared() -> None:
    assert marketo.scrub is errors.scrub is commerce.scrub
    assert errors.scrub("token s3cret here", ["s3cret", ""]) == "token REDACTED here"
