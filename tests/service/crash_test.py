"""kill -9 under load loses nothing acknowledged.

Clients screen names that alert and decide the alerts, and screen names that
do not alert (some asking for a durable audit record), while the server is
killed with SIGKILL. Afterwards the audit chain must verify, and every alert,
decision and durable screening the server acknowledged must be stored.

usage: crash_test.py INTERDICT TEST_DATA_DIR DB   (DB: "sqlite" or a postgresql:// URI)"""
import os
import signal
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Checks, Server, audit_verify, database_target, make_key  # noqa: E402

binary, data_dir, kind = sys.argv[1], sys.argv[2], sys.argv[3]
t = Checks(f"crash ({'sqlite' if kind == 'sqlite' else 'postgresql'})")
tmp = tempfile.mkdtemp(prefix="interdict-crash-test-")
db = database_target(kind, tmp)
client = make_key(binary, db, "client", "load")
analyst = make_key(binary, db, "analyst", "ann")

srv = Server(binary, db).start()
lock = threading.Lock()
acked_alerts = set()
acked_decisions = {}
acked_screenings = set()
stop = threading.Event()
ALERTING = ["Ayman al-Zawahiri", "Abu Bakr al-Baghdadi"]
QUIET = ["Maria Garcia", "Jane Smith", "Chen Wei", "Olga Petrova"]


def alerting_client(n):
    i = 0
    while not stop.is_set():
        i += 1
        try:
            s, b = srv.request("POST", "/v1/screen", {"name": ALERTING[i % 2],
                                                      "customer_id": f"c{n}-{i}"}, key=client,
                               timeout=5)
            if s != 200 or not b.get("alert_id"):
                continue
            with lock:
                acked_alerts.add(b["alert_id"])
            decision = ("false_positive", "true_match", "escalate")[i % 3]
            s, d = srv.request("POST", f"/v1/alerts/{b['alert_id']}/decision",
                               {"decision": decision, "reason": f"reason {n}-{i}"}, key=analyst,
                               timeout=5)
            if s == 200:
                with lock:
                    acked_decisions[b["alert_id"]] = d["status"]
        except Exception:  # noqa: BLE001 - the server is killed under us
            time.sleep(0.01)


def quiet_client(n):
    i = 0
    while not stop.is_set():
        i += 1
        try:
            durable = i % 2 == 0
            s, b = srv.request("POST", "/v1/screen", {"name": QUIET[i % len(QUIET)],
                                                      "durable": durable}, key=client, timeout=5)
            if s == 200 and durable:
                with lock:
                    acked_screenings.add(b["screening_id"])
        except Exception:  # noqa: BLE001
            time.sleep(0.01)


threads = [threading.Thread(target=alerting_client, args=(n,)) for n in range(4)]
threads += [threading.Thread(target=quiet_client, args=(n,)) for n in range(4)]
for th in threads:
    th.start()
time.sleep(3.0)
srv.proc.send_signal(signal.SIGKILL)
srv.proc.wait()
stop.set()
for th in threads:
    th.join()
t.check("load ran", len(acked_alerts) > 10 and len(acked_decisions) > 5 and len(acked_screenings) > 10,
        f"{len(acked_alerts)} alerts, {len(acked_decisions)} decisions, "
        f"{len(acked_screenings)} screenings")

rc, out = audit_verify(binary, db)
t.check("audit chain intact after kill -9", rc == 0, out)

srv2 = Server(binary, db).start()
missing_alerts, wrong_status = [], []
for aid in sorted(acked_alerts):
    s, b = srv2.request("GET", f"/v1/alerts/{aid}", key=analyst)
    if s != 200:
        missing_alerts.append(aid)
    elif aid in acked_decisions and b["status"] != acked_decisions[aid]:
        wrong_status.append((aid, b["status"], acked_decisions[aid]))
t.equal("every acknowledged alert stored", missing_alerts, [])
t.equal("every acknowledged decision stored", wrong_status, [])

supervisor = make_key(binary, db, "supervisor", "sue")
seen, after, decided_in_audit = set(), 0, set()
while True:
    s, b = srv2.request("GET", f"/v1/audit?after={after}&limit=1000", key=supervisor)
    if s != 200 or not b["entries"]:
        break
    for e in b["entries"]:
        seen.add(e["subject"])
        if e["action"] == "decide":
            decided_in_audit.add(e["detail"]["alert_id"])
        after = e["seq"]
t.equal("every durable screening audited", sorted(acked_screenings - seen)[:5], [])
t.equal("every acknowledged decision audited", sorted(set(acked_decisions) - decided_in_audit)[:5], [])
t.equal("restarted server stops cleanly", srv2.stop(), 0)
rc, out = audit_verify(binary, db)
t.check("audit chain intact after restart", rc == 0, out)
print(f"acknowledged: {len(acked_alerts)} alerts, {len(acked_decisions)} decisions, "
      f"{len(acked_screenings)} durable screenings")
sys.exit(t.finish(tmp, srv.tmp, srv2.tmp))
