"""The posting step both Intacct writers share: one request of create functions, each with a deterministic controlid.

A function Intacct applied is created; one it reports as a duplicate (uniqueid=true) or as "already exists" is
returned for the writer to read back and adopt; one it refused fails with Intacct's reason. A request whose outcome
is unknown (524, timeout, dropped connection) stops the run: the next run sends the same controlids again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from mlconnector.engine.records import Action, Outcome, StopRun, WriteItem
from mlconnector.flows.intacct_destination.vendors import already_exists
from mlconnector.systems.intacct import DuplicateControlId, IntacctClient, UnknownOutcome
from mlconnector.systems.intacct.client import WriteOutcome
from mlconnector.systems.intacct.functions.base import ApiFunction


@dataclass
class Posted[T]:
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    to_adopt: list[tuple[WriteItem, T]] = field(default_factory=list)


def post_once[T](
    intacct: IntacctClient,
    documents: Sequence[tuple[WriteItem, T]],
    function: Callable[[WriteItem, T], ApiFunction],
    created_id: Callable[[WriteOutcome], str | None],
    what: str,
) -> Posted[T]:
    try:
        results = intacct.execute_writes([function(item, document) for item, document in documents])
    except UnknownOutcome as unknown:
        raise StopRun(
            f"Intacct did not confirm {len(documents)} {what}(s) ({unknown}); the next run posts the same controlids "
            "again and adopts what was applied"
        ) from unknown
    posted = Posted[T]()
    for (item, document), result in zip(documents, results, strict=True):
        key = item.record.key
        if result.ok:
            posted.outcomes[key] = Outcome(key, Action.CREATED, destination_id=created_id(result))
        elif isinstance(result.error, DuplicateControlId) or already_exists(result.error):
            posted.to_adopt.append((item, document))
        else:
            posted.outcomes[key] = Outcome(key, Action.FAILED, error=f"Intacct refused the {what}: {result.error}")
    return posted
