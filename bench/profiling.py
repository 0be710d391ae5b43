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

TICKS = os.sysconf("SC_CLK_TCK")


def _processes() -> dict[int, tuple[str, int, float]]:
    """pid → (command, parent pid, CPU seconds used so far) of every process readable in /proc: its own user and
    system time and that of its children that ended (a PostgreSQL backend whose session closed, a worker that
    gunicorn restarted), which the parent holds once it has reaped them."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        command, fields = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :].split()
        found[int(entry)] = (command, int(fields[1]), sum(int(value) for value in fields[11:15]) / TICKS)
    return found


def _machine_busy_seconds() -> float:
    """CPU seconds the whole machine spent busy so far (every CPU, /proc/stat: all but idle and iowait)."""
    values = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(values) - values[3] - values[4]) / TICKS


def _cpu_by_group(server_pid: int) -> dict[str, float]:
    processes = _processes()
    server = {server_pid} | {pid for pid, (_c, parent, _s) in processes.items() if parent == server_pid}
    return {
        "gunicorn": sum(processes[pid][2] for pid in server if pid in processes),
        "postgres": sum(cpu for command, _p, cpu in processes.values() if command.startswith("postgres")),
        "client": processes.get(os.getpid(), ("", 0, 0.0))[2],
        "machine": _machine_busy_seconds(),
    }


class CpuAccount:
    """The CPU time spent while blocks ran, by gunicorn (master and workers), PostgreSQL (every backend: the
    sessions last the run, CONN_MAX_AGE), this client and the whole machine; `per_request` in milliseconds."""

    def __init__(self, server_pid: int):
        self.server_pid = server_pid
        self.spent: Counter = Counter()
        self.requests = 0

    @contextlib.contextmanager
    def measuring(self):
        before = _cpu_by_group(self.server_pid)
        yield
        after = _cpu_by_group(self.server_pid)
        self.spent.update({group: after[group] - before[group] for group in after})

    def per_request(self, requests: int) -> str:
        spent = {
            group: self.spent[group] * 1000 / max(requests, 1)
            for group in ("gunicorn", "postgres", "client", "machine")
        }
        other = spent["machine"] - spent["gunicorn"] - spent["postgres"] - spent["client"]
        return (
            f"CPU per request: gunicorn {spent['gunicorn']:.2f} ms, PostgreSQL {spent['postgres']:.2f} ms, "
            f"client {spent['client']:.2f} ms, the rest of the machine {max(other, 0.0):.2f} ms"
        )


@contextlib.contextmanager
def sampled(pid: int, output: str | None, rate: int = 100, on_cpu: bool = False):
    """py-spy record of `pid` and its subprocesses while the block runs (idle stacks included, so that waits on
    the database show, unless `on_cpu`: then only the samples on the CPU); nothing when `output` is None."""
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
            *([] if on_cpu else ["-i"]),
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
