"""Running the functions of one authenticated operation.

Each function is atomic and independent (one failing does not stop the others) unless the
operation has transaction="true": then the first failure rolls everything back, that result
fails with XL03000009 appended and every other result is ``aborted`` with XL03000009.
With uniqueid=true a function controlid that already completed is refused without side effects.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from sandbox.intacct.ap_adjustments import run_create_apadjustment
from sandbox.intacct.api_session import run_get_api_session
from sandbox.intacct.context import FunctionContext
from sandbox.intacct.definitions import run_inspect, run_lookup
from sandbox.intacct.envelope import FunctionCall, Operation
from sandbox.intacct.errors import (
    FunctionFailure,
    IntacctError,
    duplicate_controlid,
    rolled_back,
    unsupported,
)
from sandbox.intacct.idempotency import CompletedControlIds
from sandbox.intacct.legacy_get import run_get
from sandbox.intacct.platform_apps import run_install_app
from sandbox.intacct.po_transactions import run_create_potransaction
from sandbox.intacct.query import run_query
from sandbox.intacct.read import run_read, run_read_by_name
from sandbox.intacct.read_by_query import run_read_by_query, run_read_more
from sandbox.intacct.responses import FunctionResult
from sandbox.intacct.supdocs import (
    run_create_supdoc,
    run_create_supdocfolder,
    run_delete_supdoc,
    run_update_supdoc,
)
from sandbox.intacct.write import run_create, run_delete, run_update

FunctionHandler = Callable[[FunctionContext, FunctionCall], str | None]

HANDLERS: Mapping[str, FunctionHandler] = {
    "getAPISession": run_get_api_session,
    "query": run_query,
    "readByQuery": run_read_by_query,
    "readMore": run_read_more,
    "read": run_read,
    "readByName": run_read_by_name,
    "create": run_create,
    "update": run_update,
    "delete": run_delete,
    "create_apadjustment": run_create_apadjustment,
    "create_potransaction": run_create_potransaction,
    "lookup": run_lookup,
    "inspect": run_inspect,
    "installApp": run_install_app,
    "create_supdocfolder": run_create_supdocfolder,
    "create_supdoc": run_create_supdoc,
    "update_supdoc": run_update_supdoc,
    "delete_supdoc": run_delete_supdoc,
    "get": run_get,
}


class OperationRunner:
    def __init__(self, ctx: FunctionContext, completed: CompletedControlIds, *, uniqueid: bool) -> None:
        self._ctx = ctx
        self._completed = completed
        self._uniqueid = uniqueid
        self._pending: list[str] = []

    def run(self, operation: Operation, outage: IntacctError | None = None) -> list[FunctionResult]:
        """``outage``: a simulated service-side failure applied to every function."""
        if outage is not None:
            return [FunctionResult(c.name, c.controlid, "failure", errors=(outage,)) for c in operation.functions]
        store = self._ctx.store
        with store.lock:
            store.begin()
            try:
                if operation.transaction:
                    results = self._transaction(operation)
                else:
                    results = [self._execute(call) for call in operation.functions]
            finally:
                store.end()
        self._completed.add(self._ctx.identity.company_id, self._pending)
        return results

    def _transaction(self, operation: Operation) -> list[FunctionResult]:
        results: list[FunctionResult] = []
        for index, call in enumerate(operation.functions):
            result = self._execute(call)
            if result.status == "success":
                results.append(result)
                continue
            self._ctx.store.rollback_to(0)
            self._pending.clear()
            undone = rolled_back()
            return [
                replace(result, errors=(*result.errors, undone))
                if position == index
                else FunctionResult(other.name, other.controlid, "aborted", errors=(undone,))
                for position, other in enumerate(operation.functions)
            ]
        return results

    def _execute(self, call: FunctionCall) -> FunctionResult:
        config = self._ctx.config
        if self._uniqueid and (
            call.controlid in self._pending or self._completed.seen(self._ctx.identity.company_id, call.controlid)
        ):
            error = duplicate_controlid(config.duplicate_controlid_errorno, call.controlid)
            status = "" if config.duplicate_controlid_style == "no_status" else "failure"
            return FunctionResult(call.name, call.controlid, status, errors=(error,))
        handler = HANDLERS.get(call.name)
        if handler is None:
            return FunctionResult(call.name, call.controlid, "failure", errors=(unsupported(f"function {call.name}"),))
        savepoint = self._ctx.store.savepoint()
        try:
            data = handler(self._ctx, call)
        except FunctionFailure as failure:
            self._ctx.store.rollback_to(savepoint)
            return FunctionResult(call.name, call.controlid, "failure", errors=tuple(failure.errors))
        if self._uniqueid:
            self._pending.append(call.controlid)
        return FunctionResult(call.name, call.controlid, "success", data)
