from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mlconnector.webhooks.timestamps import freshness_problem, parse_timestamp

EPOCH = datetime(2025, 7, 17, 15, 48, 42, tzinfo=UTC).timestamp()


@pytest.mark.parametrize(
    "value",
    [
        EPOCH,
        int(EPOCH),
        str(int(EPOCH)),
        int(EPOCH) * 1000,
        str(int(EPOCH) * 1000),
        "2025-07-17T15:48:42Z",
        "2025-07-17T17:48:42+02:00",
        "2025-07-17 15:48:42",  # Commerce: UTC without a zone
    ],
)
def test_reads_the_forms_senders_use(value: object) -> None:
    assert parse_timestamp(value) == EPOCH


def test_keeps_fractions() -> None:
    assert parse_timestamp("2025-07-17T15:48:42.436Z") == pytest.approx(EPOCH + 0.436)


@pytest.mark.parametrize("value", [None, True, "", "  ", "yesterday", "nan", "inf", -5, [EPOCH]])
def test_refuses_what_is_not_a_timestamp(value: object) -> None:
    with pytest.raises(ValueError):
        parse_timestamp(value)


@pytest.mark.parametrize(
    ("age", "fresh"),
    [(0, True), (300, True), (360, True), (361, False), (-60, True), (-61, False), (10_000, False)],
)
def test_freshness_window_is_max_age_plus_skew_back_and_skew_ahead(age: int, fresh: bool) -> None:
    problem = freshness_problem(EPOCH - age, EPOCH, max_age_seconds=300, clock_skew_seconds=60)
    assert (problem is None) is fresh
    if problem is not None:
        assert ("future" in problem) is (age < 0)
