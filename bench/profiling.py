"""py-spy around a load: samples a gunicorn master and its workers, then prints where the workers' time went.

    with sampled(master_pid, "var/profile-clock.txt"):
        ...load...
    print_profile("var/profile-clock.txt")

The raw file holds one line per distinct stack (`frame;frame;... count`, root first). The summary gives each
function's inclusive share of the samples (the time spent in it and below it) and the leaves' own share; idle
samples (a worker waiting for a connection in gunicorn's loop) are counted apart.
"""

import contextlib
import os
import shutil
import subprocess
import time
from collections import Counter
from pathlib import Path

# A worker with nothing to do sleeps in gunicorn's select(): those samples are not request time.
_IDLE_MARKS = ("wait (gunicorn/workers/sync.py", "sleep (gunicorn/arbiter.py", "run (gunicorn/arbiter.py")


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


def _frame_name(frame: str) -> str:
    """`function (path/file.py:123)` without the line number."""
    name, _, where = frame.partition(" (")
    return f"{name} ({where.rsplit(':', 1)[0]})" if where else name


def print_profile(path: str, top: int = 45) -> None:
    """Inclusive and leaf shares of the non-idle samples of the raw file at `path`."""
    inclusive: Counter[str] = Counter()
    leaves: Counter[str] = Counter()
    busy = idle = 0
    for line in Path(path).read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        samples = int(count)
        if any(mark in stack for mark in _IDLE_MARKS) and "handle (gunicorn" not in stack:
            idle += samples
            continue
        busy += samples
        frames = [_frame_name(frame) for frame in stack.split(";") if frame]
        for name in set(frames):
            inclusive[name] += samples
        if frames:
            leaves[frames[-1]] += samples
    if not busy:
        print(f"profile {path}: no samples")
        return
    print(f"\nprofile {path}: {busy} busy samples, {idle} idle (workers waiting for a connection)")
    print("inclusive (time in the function and below it):")
    for name, samples in inclusive.most_common(top):
        print(f"  {100 * samples / busy:5.1f} %  {name}")
    print("leaves (time in the function itself):")
    for name, samples in leaves.most_common(top // 2):
        print(f"  {100 * samples / busy:5.1f} %  {name}")
