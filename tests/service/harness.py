"""Shared pieces of the service tests: start `interdict serve` on a free
port with a fresh database, make keys, send requests, count checks."""
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time


class Checks:
    def __init__(self, name):
        self.name = name
        self.passed = 0
        self.failed = 0

    def check(self, what, ok, detail=""):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL: {what} {detail}".rstrip(), flush=True)
        return ok

    def equal(self, what, got, want):
        return self.check(what, got == want, f"got {got!r}, wanted {want!r}")

    def finish(self, *dirs):
        """Prints the tally; removes the temporary folders when all passed."""
        print(f"{self.name}: {self.passed} passed, {self.failed} failed", flush=True)
        if self.failed:
            print("kept " + " ".join(dirs), flush=True)
        else:
            for d in dirs:
                shutil.rmtree(d, ignore_errors=True)
        return 1 if self.failed else 0


class Server:
    """One `interdict serve` process; db is a SQLite path or postgres URI."""

    def __init__(self, binary, db, lists=(), extra=(), env=None):
        self.binary = binary
        self.db = db
        self.lists = list(lists)
        self.extra = list(extra)
        self.env = env
        self.proc = None
        self.port = None
        self.tmp = tempfile.mkdtemp(prefix="interdict-serve-")

    def start(self):
        port_file = os.path.join(self.tmp, "port")
        if os.path.exists(port_file):
            os.unlink(port_file)
        cmd = [self.binary, "serve", "--port", "0", "--port-file", port_file, "--db", self.db,
               "--quiet"] + self.extra
        for path in self.lists:
            cmd += ["--list", path]
        self.log = open(os.path.join(self.tmp, "server.log"), "ab")
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=self.log, env=self.env)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}: {self.log_text()}")
            if os.path.exists(port_file):
                with open(port_file) as f:
                    text = f.read().strip()
                if text:
                    self.port = int(text)
                    return self
            time.sleep(0.05)
        raise RuntimeError("server did not start in 30 s")

    def log_text(self):
        try:
            with open(os.path.join(self.tmp, "server.log"), "rb") as f:
                return f.read().decode(errors="replace")[-2000:]
        except OSError:
            return ""

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        rc = self.proc.returncode if self.proc else None
        self.proc = None
        return rc

    def request(self, method, path, body=None, key=None, headers=None, raw=None,
                content_type="application/json", timeout=30):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        h = {}
        if key:
            h["Authorization"] = "Bearer " + key
        if raw is not None:
            data = raw
        elif body is not None:
            data = json.dumps(body).encode()
        else:
            data = None
        if data is not None and content_type:
            h["Content-Type"] = content_type
        h.update(headers or {})
        conn.request(method, path, body=data, headers=h)
        r = conn.getresponse()
        payload = r.read()
        conn.close()
        ctype = r.getheader("Content-Type") or ""
        if ctype.startswith("application/json"):
            try:
                return r.status, json.loads(payload)
            except ValueError:
                return r.status, {"_raw": payload.decode(errors="replace")}
        return r.status, payload.decode(errors="replace")


def make_key(binary, db, role, name):
    out = subprocess.run([binary, "keys", "create", "--role", role, "--name", name, "--db", db],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def audit_verify(binary, db):
    out = subprocess.run([binary, "audit", "verify", "--db", db], capture_output=True, text=True)
    return out.returncode, out.stdout + out.stderr


def database_target(kind, tmp):
    """A fresh database: a SQLite file in tmp, or the PostgreSQL URI given."""
    if kind == "sqlite":
        return os.path.join(tmp, "casebook.db")
    return kind


def die(msg):
    print(msg, file=sys.stderr)
    sys.exit(1)
