"""The results archive of a finished batch: a gzipped tar of JSON files, each a JSON array of
``{"status_code", "operation_id", "response": "<the response body as a JSON string>"}`` (verified capture), plus
an empty file (a verified quirk: parsers must skip empty members). The file layout itself is UNVERIFIED."""

from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Sequence

from sandbox.mailchimp.values import Json, short_id


def build_archive(batch_id: str, results: Sequence[Json], per_file: int, *, empty_file: bool) -> bytes:
    files: list[bytes] = [
        json.dumps(list(results[start : start + per_file])).encode() for start in range(0, len(results), per_file)
    ]
    if empty_file:
        files.append(b"")
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for number, content in enumerate(files):
            info = tarfile.TarInfo(f"{short_id(batch_id, number, length=10)}.json")
            info.size = len(content)
            info.mtime = 0
            archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def read_archive(data: bytes) -> list[Json]:
    """Every result in an archive, skipping empty files (for tests and the admin endpoints)."""
    results: list[Json] = []
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member in archive.getmembers():
            handle = archive.extractfile(member) if member.isfile() else None
            content = handle.read() if handle is not None else b""
            if content.strip():
                results.extend(json.loads(content))
    return results
