"""Bulk jobs (reference §4.2, verified §3.1): a bulk call answers 200 ``{"job_status": {...}}`` at once; the job moves
queued -> working -> completed across polls (``polls_per_step`` polls a step; or by the clock, ``job_step_s``) and
does its work when it completes. Results: ``{id, index}`` for creates, ``{id, action, success, status}`` for updates,
failures with error and details. Jobs are kept ``job_retention_s`` (one day); at most ``job_limit`` may be queued or
running at once."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from sandbox.zendesk.context import ApiContext
from sandbox.zendesk.errors import ApiError, not_found
from sandbox.zendesk.store import Job
from sandbox.zendesk.values import Json

RUNNING = ("queued", "working")


def start(ctx: ApiContext, job_type: str, total: int, work: Callable[[datetime], list[Json]]) -> Json:
    """Queue a job; the job limit refuses it when too many are queued or running."""
    with ctx.db.lock:
        settle(ctx)
        running = sum(1 for job in ctx.db.jobs.values() if job.status in RUNNING)
        if running >= ctx.config.job_limit:
            raise ApiError(
                ctx.config.job_limit_status,
                {
                    "error": ctx.config.job_limit_error,
                    "description": f"Only {ctx.config.job_limit} jobs can be queued or running at once",
                },
                {"Retry-After": "10"} if ctx.config.job_limit_status == 429 else {},
            )
        job = Job(secrets.token_hex(16), job_type, total, ctx.moment, work)
        ctx.db.jobs[job.id] = job
        return job_json(ctx, job)


def poll(ctx: ApiContext, job: Job) -> None:
    """A status read: the job moves one step every ``polls_per_step`` reads; completing runs its work."""
    if job.status not in RUNNING:
        return
    job.polls += 1
    if job.polls % max(1, ctx.config.polls_per_step):
        return
    if job.status == "queued":
        job.status = "working"
    else:
        complete(ctx, job)


def complete(ctx: ApiContext, job: Job) -> None:
    if job.status in RUNNING:
        job.results = job.work(ctx.moment)
        job.status = "completed"


def settle(ctx: ApiContext) -> None:
    """Forget jobs older than the retention; with ``job_step_s``, move running jobs on by the clock as well (a job
    is working after one step and completed after two, polled or not)."""
    horizon = ctx.moment - timedelta(seconds=ctx.config.job_retention_s)
    for job_id in [job.id for job in ctx.db.jobs.values() if job.created_at <= horizon]:
        del ctx.db.jobs[job_id]
    step = ctx.config.job_step_s
    if step is None:
        return
    for job in ctx.db.jobs.values():
        elapsed = (ctx.moment - job.created_at).total_seconds()
        if job.status in RUNNING and elapsed >= 2 * step:
            complete(ctx, job)
        elif job.status == "queued" and elapsed >= step:
            job.status = "working"


def find(ctx: ApiContext, job_id: str) -> Job:
    settle(ctx)
    job = ctx.db.jobs.get(job_id)
    if job is None:
        raise not_found()
    return job


def job_json(ctx: ApiContext, job: Job) -> Json:
    done = job.status == "completed"
    progress = job.total if done else (job.total // 2 if job.status == "working" else 0)
    message = f"Completed at {ctx.moment.strftime('%Y-%m-%d %H:%M:%S +0000')}" if done else None
    return {
        "id": job.id,
        "url": ctx.api_url(f"job_statuses/{job.id}.json"),
        "job_type": job.job_type,
        "total": job.total,
        "progress": progress,
        "status": job.status,
        "message": message,
        "results": list(job.results) if done and job.results is not None else None,
    }


def show(ctx: ApiContext, job_id: str) -> Json:
    with ctx.db.lock:
        job = find(ctx, job_id)
        poll(ctx, job)
        return job_json(ctx, job)


def show_many(ctx: ApiContext, ids: list[str]) -> list[Json]:
    with ctx.db.lock:
        settle(ctx)
        found = [ctx.db.jobs[job_id] for job_id in ids if job_id in ctx.db.jobs]
        for job in found:
            poll(ctx, job)
        return [job_json(ctx, job) for job in found]


def listing(ctx: ApiContext) -> list[Json]:
    with ctx.db.lock:
        settle(ctx)
        return [job_json(ctx, job) for job in ctx.db.jobs.values()]
