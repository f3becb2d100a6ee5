"""Serve the site with gunicorn and load it with wrk, for the page benchmarks."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT %d %d %.1f %.1f %.1f %d\\n", summary.requests,
    summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    errors))
end
"""


@dataclass
class Load:
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int


def server_environment() -> dict[str, str]:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}


@contextmanager
def gunicorn(*, port: int = 8765, workers: int = 2, threads: int = 4, connections: int = 16):
    """gunicorn on the benchmark database, as it would run in production.

    wrk's ``connections`` are kept alive, and each stays with the process that accepted
    it: left to chance, one process sometimes takes them all and the other core idles
    (the one-query ceiling then halves, from one round to the next). Each process takes
    at most its share, as a load balancer in front of two servers would spread them."""
    env = server_environment()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    RESULTS.mkdir(exist_ok=True)
    log = (RESULTS / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "mentoring.wsgi",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
            "--threads", str(threads), "--worker-class", "gthread",
            "--worker-connections", str(-(-connections // workers)),
            "--access-logfile", "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
        ],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # a loaded machine boots slowly
        while True:
            try:
                urllib.request.urlopen(f"{base}/bench/ceiling", timeout=2).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((RESULTS / "gunicorn.log").read_text()) from None
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            # A loaded machine may not let gunicorn finish its requests in time: the
            # figures are taken, so it is stopped rather than the run lost.
            process.kill()
            process.wait()
        log.close()


def wrk(
    url: str, *, connections: int = 16, seconds: int = 10, cookie: str = "", requests: str = ""
) -> Load:
    """Load ``url`` with wrk (16 connections by default) and read its figures;
    ``requests`` is Lua that makes each request (see wrk's ``request()``), if not ``url``."""
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed (make bench installs it)")
    RESULTS.mkdir(exist_ok=True)
    script = RESULTS / ("mixed.lua" if requests else "report.lua")
    script.write_text(requests + WRK_SCRIPT)
    command = [
        "wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s",
        "-s", str(script), url,
    ]  # fmt: skip
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    match = re.search(r"RESULT (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+) (\d+)", output)
    if not match:
        raise RuntimeError(output)
    done, micros, p50, p95, p99, errors = match.groups()
    return Load(
        requests_per_second=int(done) / (int(micros) / 1e6),
        p50_ms=float(p50) / 1000,
        p95_ms=float(p95) / 1000,
        p99_ms=float(p99) / 1000,
        errors=int(errors),
    )
