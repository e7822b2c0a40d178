"""What every command shares: the environment options (--stack, --region, --connection, --json), the integration
argument, and the exit codes. Light on purpose: `mlc --help` imports this and Click, nothing of the engine."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

import click


class ExitCode(IntEnum):
    """`mlc`'s exit codes (README, "Exit codes")."""

    OK = 0
    FAILED = 1
    """The run failed, a ping check failed, or a replay left something to try again."""
    USAGE = 2
    """A bad command line or configuration: the one-line message says what to fix."""
    STOPPED_EARLY = 3
    """The run stopped early (time budget, quota, Retry-After) with work left: run it again to continue."""
    LEASE_HELD = 4
    """Another run of the flow holds its lease (`mlc runs` shows who, `mlc unlock` breaks a stale one)."""
    INTERRUPTED = 130
    """Ctrl-C: the run is recorded as interrupted and its lease released."""
    PIPE_CLOSED = 141
    """The reader of the output went away (e.g. piped into `head`)."""


@dataclass(frozen=True)
class Target:
    """Where a command works: the local environment (default) or a deployed stack, and for which connection."""

    stack: str | None
    region: str | None
    connection: str
    json: bool


def with_target(*, connection: bool = True) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Adds --stack, --region, --connection (unless `connection` is False) and --json to a command; its callback
    receives them as one `target: Target`."""

    def decorate(callback: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(callback)
        def wrapper(
            *args: Any, stack: str | None, region: str | None, output_json: bool, connection: str = "default", **kw: Any
        ) -> Any:
            return callback(*args, target=Target(stack, region, connection, output_json), **kw)

        options = [
            click.option("--stack", metavar="NAME", help="A deployed stack's name.  [default: the local environment]"),
            click.option(
                "--region",
                metavar="REGION",
                help="The stack's AWS region.  [default: AWS_REGION or your AWS profile's]",
            ),
        ]
        if connection:
            options.append(click.option("--connection", default="default", metavar="NAME", help="Connection name."))
        options.append(
            click.option("--json", "output_json", is_flag=True, help="Print JSON on stdout (logs go to stderr).")
        )
        for option in reversed(options):
            wrapper = option(wrapper)
        return wrapper

    return decorate


class IntegrationType(click.ParamType):  # type: ignore[type-arg]
    """An integration's name, checked against mlconnector.flows.registry.INTEGRATIONS (imported when a value or the
    help needs it): every command refuses an unknown name with the same message."""

    name = "integration"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        names = integration_names()
        if value in names:
            return str(value)
        self.fail(f"unknown integration {value!r}; this deployment has: {', '.join(sorted(names))}", param, ctx)
        return None  # never reached: fail() raises

    def shell_complete(self, _ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[Any]:
        from click.shell_completion import CompletionItem  # noqa: PLC0415

        return [CompletionItem(name) for name in integration_names() if name.startswith(incomplete)]


INTEGRATION = IntegrationType()


def integration_names() -> list[str]:
    from mlconnector.flows.registry import INTEGRATIONS  # noqa: PLC0415 - only when a name is checked or listed

    return list(INTEGRATIONS)


class MlcCommand(click.Command):
    """A command whose help ends with the integrations to choose from, when it takes one."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_epilog(ctx, formatter)
        if any(isinstance(param.type, IntegrationType) for param in self.params):
            from mlconnector.flows.registry import INTEGRATIONS  # noqa: PLC0415

            with formatter.section("Integrations"):
                formatter.write_dl([(name, spec.description) for name, spec in INTEGRATIONS.items()])
