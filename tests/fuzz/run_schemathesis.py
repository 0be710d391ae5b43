"""Fuzzes the live API with schemathesis, as the admin and as an ordinary member of staff.

    .venv/bin/python tests/fuzz/run_schemathesis.py            # `make fuzz`; .ci/run runs it too
    FUZZ_MAX_TIME=30 .venv/bin/python tests/fuzz/run_schemathesis.py --user admin --include-path-regex clock

It migrates a fresh SQLite database and loads the demo town, then for each user, on a fresh copy of it, starts
gunicorn on a free port of 127.0.0.1, obtains the user's token and runs
`schemathesis run` against /api/schema/ with the checks `not_a_server_error` and `response_schema_conformance`
within a time budget per user (`FUZZ_MAX_TIME`, 150 s by default). It exits non-zero when any run finds a
failure. Reports (JUnit XML and the failures as a pytest file) go to `var/fuzz/<user>/`.

The operations that end the caller's own session are left out, so a stateful run never revokes the token it
runs with: `auth/token/revoke/`, `me/tokens/` (DELETE) and `me/password/`.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
USERS = {"admin": "admin", "staff": "oikawa.misaki"}
DEMO_PASSWORD = "Furano-demo-2026"
CHECKS = "not_a_server_error,response_schema_conformance"
# Operations that would end the fuzzer's own login (or change its password): never fuzzed.
EXCLUDED_PATHS = r"^/api/v1/(auth/token/revoke/|me/password/|me/tokens/)"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": env.get("DJANGO_SECRET_KEY") or "fuzz-only-secret-key-" + "x1y2z3" * 8,
            "AUDIT_HMAC_KEY": env.get("AUDIT_HMAC_KEY") or "fuzz-only-audit-key",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            # The fuzzer sends thousands of requests a minute and may try wrong passwords: neither the throttles
            # nor the lockout are under test here.
            "API_THROTTLE_USER": "1000000/min",
            "API_THROTTLE_ANON": "1000000/min",
            "API_THROTTLE_LOGIN": "1000000/min",
            "LOGIN_FAILURE_LIMIT": "1000000",
            "DJANGO_LOG_LEVEL": "WARNING",
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",  # notifications go nowhere
        }
    )
    env.pop("REDIS_URL", None)  # embedded mode: tasks in-process, no broker
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2):
                return
        except OSError:
            pass
        try:  # waits half a second for the server to exit, which it must not
            process.wait(timeout=0.5)
        except subprocess.TimeoutExpired:
            continue
        raise SystemExit(f"the server exited with {process.returncode}")
    raise SystemExit("the server did not answer /healthz in time")


def token_for(url: str, username: str) -> str:
    request = urllib.request.Request(
        f"{url}/api/v1/auth/token/",
        data=json.dumps({"username": username, "password": DEMO_PASSWORD}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)["token"]


def fuzz(url: str, user: str, token: str, max_time: int, seed: str | None, extra: list[str]) -> int:
    reports = ROOT / "var" / "fuzz" / user
    shutil.rmtree(reports, ignore_errors=True)
    command = [
        str(BIN / "schemathesis"),
        "run",
        f"{url}/api/schema/",
        "--checks",
        CHECKS,
        "--max-time",
        str(max_time),
        "--header",
        f"Authorization: Token {token}",
        "--exclude-path-regex",
        EXCLUDED_PATHS,
        "--request-timeout",
        "30",
        # One worker: Python 3.11's ast is not thread-safe ("AST constructor recursion depth mismatch") and
        # hypothesis reads strategies' source with it.
        "--workers",
        "1",
        "--suppress-health-check",
        "all",
        "--report",
        "junit,pytest",
        "--report-dir",
        str(reports),
        "--output-truncate",
        "false",
    ]
    if seed:
        command += ["--seed", seed]
    command += extra
    print(f"== schemathesis as {user} ({USERS[user]}), {max_time} s", flush=True)
    return subprocess.run(command, cwd=ROOT).returncode


def serve(env: dict[str, str], port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "3",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user", choices=sorted(USERS), action="append", help="default: every user")
    parser.add_argument("--max-time", type=int, default=int(os.environ.get("FUZZ_MAX_TIME", "150")))
    parser.add_argument("--seed", default=os.environ.get("FUZZ_SEED"))
    args, extra = parser.parse_known_args()  # the rest goes to `schemathesis run` (e.g. --include-path-regex)

    workdir = Path(tempfile.mkdtemp(prefix="townhall-fuzz-"))
    template = workdir / "demo.sqlite3"
    manage(server_env(f"sqlite:///{template}"), "migrate", "--noinput", "--verbosity", "0")
    # the demo town with its published logins is a development fixture: loaded with DEBUG on, served with it off
    manage({**server_env(f"sqlite:///{template}"), "DJANGO_DEBUG": "1"}, "demo")
    failed: list[str] = []
    try:
        for user in args.user or list(USERS):
            # Each user fuzzes a fresh copy of the demo town: the admin's run may deactivate or change the others.
            database = workdir / f"{user}.sqlite3"
            shutil.copyfile(template, database)
            env = server_env(f"sqlite:///{database}")
            port = free_port()
            url = f"http://127.0.0.1:{port}"
            server = serve(env, port)
            try:
                wait_until_up(url, server)
                if fuzz(url, user, token_for(url, USERS[user]), args.max_time, args.seed, extra) != 0:
                    failed.append(user)
            finally:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=30)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if failed:
        print(f"schemathesis found failures as: {', '.join(failed)} (reports in var/fuzz/)", file=sys.stderr)
        return 1
    print("schemathesis: no failures")
    return 0


if __name__ == "__main__":
    sys.exit(main())
