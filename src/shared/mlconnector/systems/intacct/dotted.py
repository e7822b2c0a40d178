"""One shape for related fields, whatever the gateway sent: `record["DISPLAYCONTACT.EMAIL1"]`.

A `query` selecting `DISPLAYCONTACT.EMAIL1` is answered with one flat element named by the whole dotted path,
`<DISPLAYCONTACT.EMAIL1>`, beside `<NAME>` (reference §6.2, verified from production integrations). Whether
`read`/`readByName` with `*` nest owned objects (`<DISPLAYCONTACT><EMAIL1>`) is UNVERIFIED, and the simulator can
answer either way. Mappings must not care: records leave the client with every related field under its dotted
name, a flat element kept as it is and a nested group unfolded into dotted keys.

With a select list the unfolding is exact: each selected dotted field is looked up in both shapes. With `*` (no
list) a nested group is unfolded unless it holds owned lines (`<APBILLITEMS><APBILLITEM>…`): a group whose only
child is itself a group, or a list of them, is a line container and stays as it is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

Record = dict[str, Any]


def normalise(record: Mapping[str, Any], fields: Sequence[str]) -> Record:
    """`record` with its related fields under dotted names. `fields` is the select list (empty or `*`: unknown)."""
    dotted = [f.upper() for f in fields if "." in f]
    if fields and list(fields) != ["*"]:
        return _exact(record, dotted) if dotted else dict(record)
    return _unfold_all(record)


def flatten(record: Mapping[str, Any]) -> Record:
    """A record as written (nested groups, `{"DISPLAYCONTACT": {"EMAIL1": …}}`) in the shape reads hand over
    (`{"DISPLAYCONTACT.EMAIL1": …}`): what was written can be compared with what will be read back."""
    result: Record = {}
    for name, value in record.items():
        if isinstance(value, Mapping):
            result.update(_leaves(value, name))
        else:
            result[name] = value
    return result


def _exact(record: Mapping[str, Any], dotted: Sequence[str]) -> Record:
    result = dict(record)
    groups: set[str] = set()
    for name in dotted:
        if name in result:
            continue
        head, *rest = name.split(".")
        groups.add(head)
        result[name] = _walk(record.get(head), rest)
    for head in groups:
        if isinstance(result.get(head), Mapping):
            del result[head]
    return result


def _walk(value: Any, path: Sequence[str]) -> Any:
    for part in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return None if isinstance(value, Mapping | list) else value


def _unfold_all(record: Mapping[str, Any]) -> Record:
    result: Record = {}
    for name, value in record.items():
        if isinstance(value, Mapping) and not _line_container(value):
            for path, leaf in _leaves(value, name):
                result.setdefault(path, leaf)
        else:
            result[name] = value
    return result


def _leaves(group: Mapping[str, Any], prefix: str) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for name, value in group.items():
        path = f"{prefix}.{name}"
        if isinstance(value, Mapping):
            found.extend(_leaves(value, path))
        else:
            found.append((path, value))
    return found


def _line_container(group: Mapping[str, Any]) -> bool:
    if len(group) != 1:
        return False
    [only] = group.values()
    return isinstance(only, Mapping) or (isinstance(only, list) and all(isinstance(v, Mapping) for v in only))
