"""Run an exported conformance suite on this project's own service (``make conformance``).

Starts ``iqm-rules serve`` on a free loopback port with the default policy, waits for
``/health``, runs ``iqm-rules conformance run DIR --url ...`` against it, then stops it.
The exit status is that of the run.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.request


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def main(suite: str) -> int:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "iqm_rules"]
    server = subprocess.Popen(
        [*command, "serve", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "/health", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    print("the service did not start", file=sys.stderr)
                    return 2
                time.sleep(0.1)
        run = [*command, "conformance", "run", suite, "--url", url, *sys.argv[2:], "--jobs", "4"]
        return subprocess.run(run, check=False).returncode
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
