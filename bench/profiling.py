"""py-spy around a load: samples a gunicorn master and its workers, then prints where the workers' time went.

    with sampled(master_pid, "var/profile-clock.txt"):
        ...load...
    print_profile("var/profile-clock.txt")

The raw file holds one line per distinct stack (`frame;frame;... count`, root first). Only the samples inside
Django's request handling count (not a worker waiting for a connection); the summary gives the share of a few
groups (the database, the ORM, authentication, serializers...), then each function's inclusive and own share.
"""

import contextlib
import os
import shutil
import subprocess
import time
from collections import Counter
from pathlib import Path


@contextlib.contextmanager
def sampled(pid: int, output: str | None, rate: int = 100):
    """py-spy record of `pid` and its subprocesses (idle stacks included, so waits on the database show) while
    the block runs; nothing when `output` is None."""
    if not output:
        yield
        return
    spy = shutil.which("py-spy") or str(Path(os.sys.executable).with_name("py-spy"))
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [
            spy,
            "record",
            "-p",
            str(pid),
            "-s",
            "-i",
            "-r",
            str(rate),
            "-f",
            "raw",
            "--nonblocking",
            "-o",
            output,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1.0)  # py-spy attaches
    try:
        yield
    finally:
        process.send_signal(subprocess.signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def merge_profiles(paths: list[str], output: str) -> None:
    """One raw file from several (the slices of a burst)."""
    Path(output).write_text("".join(Path(path).read_text() for path in paths if Path(path).exists()))


def _frame_name(frame: str) -> str:
    """`function (path/file.py:123)` without the line number."""
    name, _, where = frame.partition(" (")
    return f"{name} ({where.rsplit(':', 1)[0]})" if where else name


# What the request time went to: each share is of the samples inside Django's request handling (a sample counts
# in every group whose frame is on its stack, so the groups overlap).
GROUPS = (
    ("database: psycopg sending, waiting, receiving", "psycopg/"),
    ("  of which COMMIT", "Connection.commit (psycopg"),
    ("ORM: compiling queries", "SQLCompiler.as_sql"),
    ("ORM: building model instances", "from_db (django/db/models/base"),
    ("authentication (token look-up)", "authenticate (knox"),
    ("permissions", "APIView.check_permissions"),
    ("throttles", "APIView.check_throttles"),
    ("idempotency (claim and store)", "_claim (api/core/idempotency"),
    ("serializers: building fields", "fields (rest_framework/serializers"),
    ("serializers: validating", "is_valid (rest_framework/serializers"),
    ("serializers: representing", "to_representation (rest_framework/serializers"),
    ("rendering JSON", "JSONRenderer.render"),
    ("the service: clock_event_record", "clock_event_record"),
    ("the day's figures (worktime)", "attendance/worktime"),
    ("selectors: inbox and documents", "approvals/selectors"),
    ("pagination", "paginate_queryset"),
)
_REQUEST = "WSGIHandler.__call__"


def print_profile(path: str, top: int = 30) -> None:
    """The request time by group (GROUPS), then the functions with the largest inclusive and own shares."""
    inclusive: Counter[str] = Counter()
    leaves: Counter[str] = Counter()
    groups: Counter[str] = Counter()
    busy = idle = 0
    for line in Path(path).read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        samples = int(count)
        if _REQUEST not in stack:
            idle += samples  # waiting for a connection, gunicorn's own threads, the master
            continue
        busy += samples
        frames = [_frame_name(frame) for frame in stack.split(";") if frame]
        below = frames[next(i for i, f in enumerate(frames) if f.startswith("WSGIHandler.__call__")) :]
        for name in set(below):
            inclusive[name] += samples
        leaves[below[-1]] += samples
        for label, mark in GROUPS:
            if mark in stack:
                groups[label] += samples
    if not busy:
        print(f"profile {path}: no samples")
        return
    print(f"\nprofile {path}: {busy} samples in requests ({idle} outside them)")
    for label, _mark in GROUPS:
        print(f"  {100 * groups[label] / busy:5.1f} %  {label}")
    print("inclusive (time in the function and below it):")
    for name, samples in inclusive.most_common(top):
        print(f"  {100 * samples / busy:5.1f} %  {name}")
    print("own time:")
    for name, samples in leaves.most_common(top // 2):
        print(f"  {100 * samples / busy:5.1f} %  {name}")
