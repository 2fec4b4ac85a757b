"""The faults Préau must survive (issue #14), run by `make faults` through bin/faults.

Everything runs on a throwaway PostgreSQL cluster created here (initdb into a temporary folder,
run as the postgres user on 127.0.0.1:5499), never on the machine's cluster, and is removed at
the end, with the web servers and workers started here. Loopback only; every loop is bounded.

1. PostgreSQL restarted under load: wrk on a teacher's page (/heures/) and a loop of
   self-enrolments (HTTP POSTs, one per teacher) while the cluster is stopped for a few seconds
   then started. Counts the answers by status, checks every 503 is the French page and no
   answer is a 500 or shows a traceback, measures when the service is back, and checks that
   every enrolment acknowledged by a redirect is in the database.
2. The workers killed mid-task: a worker (db_worker, each département slowed by one
   second so that there is a "mid") is killed with SIGKILL while it computes the yearly hours
   report; the report must be marked failed with its French message once its heartbeat stops,
   leave no file, and a new request must then be built by a new worker. Then a GAIA day
   (gaia_generate) applied by `gaia_import --apply` is killed mid-apply: nothing may have
   changed, the import must be marked failed once its lock's heartbeat stops, and the same
   import run again must apply.
3. A full disk on upload: a second web server whose MEDIA_ROOT is a 1 MB tmpfs; a designer
   uploads a 1.5 MB file: the page must say the disk is full, no file, no activity row.
4. Backup and restore: manage.py backup, then manage.py restore into a fresh database
   (preau_faults_restore) and a fresh media folder; the ledger totals and files must match.

Prints the figures and writes them into docs/reliability.md (between the faults markers).
Exit status 1 when a check fails."""

import datetime
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from http.client import HTTPConnection
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PG_PORT = int(os.environ.get("FAULTS_PG_PORT", "5499"))
WEB_PORT = int(os.environ.get("FAULTS_PORT", "8109"))
DISK_PORT = WEB_PORT + 1
DB = "preau_faults"
RESTORE_DB = "preau_faults_restore"
LOAD_SECONDS = 24  # wrk's run; the cluster stops at OUTAGE_AT for OUTAGE_SECONDS
OUTAGE_AT = 6
OUTAGE_SECONDS = 3
ENROLMENTS = 500  # at most, one per teacher
STALE_SECONDS = 6  # PREAU_HOURS_REPORT_STALE_SECONDS for this run
FRENCH_503 = "Le service est momentanément indisponible"
DISK_FULL = "Le serveur n’a plus assez d’espace disque"
MARKERS = ("<!-- faults:begin -->", "<!-- faults:end -->")

checks: list[tuple[str, bool]] = []
figures: dict = {}
started: list[subprocess.Popen] = []


def say(text: str) -> None:
    print(f"[faults {time.strftime('%H:%M:%S')}] {text}", flush=True)


def check(label: str, ok: bool) -> bool:
    checks.append((label, ok))
    say(("OK    " if ok else "ÉCHEC ") + label)
    return ok


def run(command: list[str], *, env=None, as_postgres=False, quiet=True) -> str:
    if as_postgres:
        command = ["runuser", "-u", "postgres", "--", *command]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} a échoué :\n{done.stdout}\n{done.stderr}")
    if not quiet:
        print(done.stdout, end="")
    return done.stdout


def spawn(command: list[str], *, env, log: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=log.open("ab"), stderr=subprocess.STDOUT
    )
    started.append(process)
    return process


def stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# The throwaway cluster ---------------------------------------------------------------------


class Cluster:
    def __init__(self, base: Path):
        self.data, self.log, self.socket = base / "pgdata", base / "postgres.log", base / "sock"

    def create(self) -> None:
        for folder in (self.data, self.socket):
            folder.mkdir()
            shutil.chown(folder, "postgres", "postgres")
        self.log.touch()
        shutil.chown(self.log, "postgres", "postgres")
        run(
            [str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "preau", "--auth=trust"]
            + ["-E", "UTF8", "--locale=C.UTF-8"],
            as_postgres=True,
        )
        self.start()

    def pg_ctl(self, *args: str) -> None:
        run([str(PG_BIN / "pg_ctl"), "-D", str(self.data), *args], as_postgres=True)

    def start(self) -> None:
        options = f"-p {PG_PORT} -c listen_addresses=127.0.0.1 -k {self.socket}"
        self.pg_ctl("-l", str(self.log), "-o", options, "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self.pg_ctl("-m", mode, "-w", "stop")

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            try:
                self.stop("immediate")
            except SystemExit as error:
                say(str(error))

    def sql(self, query: str, params=(), *, db: str = DB):
        with psycopg.connect(
            host="127.0.0.1", port=PG_PORT, user="preau", dbname=db, autocommit=True
        ) as connection:
            rows = connection.execute(query, params)
            return rows.fetchall() if rows.description else None


def url(db: str) -> str:
    return f"postgres://preau@127.0.0.1:{PG_PORT}/{db}"


# HTTP ----------------------------------------------------------------------------------------

CSRF = secrets.token_hex(16)  # 32 characters: Django's unmasked token, cookie and form alike


def request(port, method, path, *, cookie="", body=b"", content_type="", timeout=10):
    """(status, body text); status 0 when the server could not be reached."""
    headers = {"Cookie": f"sessionid={cookie}; csrftoken={CSRF}", "Host": "127.0.0.1"}
    if body:
        headers["Content-Type"] = content_type
    connection = HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    except OSError:
        return 0, ""
    finally:
        connection.close()


def wait_for(port: int, path: str = "/healthz", seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if request(port, "GET", path, timeout=2)[0] == 200:
            return
        time.sleep(0.3)
    raise SystemExit(f"Le serveur du port {port} ne répond pas.")


# The instance ------------------------------------------------------------------------------

SETUP = r"""
import json, os
from django.conf import settings
from django.test import Client
from django.utils import timezone
from preau.accounts.models import Role, User
from preau.parcours.models import Section, Status
from preau.training.selectors import offre_sessions


def cookie(user):
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


today = timezone.localdate()
pairs = []
for teacher in User.objects.teachers().filter(school__isnull=False).order_by("pk").iterator():
    session = offre_sessions(teacher, today).filter(my_status__isnull=True).order_by("pk").first()
    if session is not None:
        pairs.append({"user": teacher.pk, "session": session.pk, "key": session.enrolment_key,
                      "cookie": cookie(teacher)})
    if len(pairs) >= int(os.environ["FAULTS_ENROLMENTS"]):
        break
section = Section.objects.filter(parcours__status=Status.CONSTRUCTION,
                                 parcours__designers__isnull=False).order_by("pk").first()
admin = User.objects.filter(roles__role=Role.ADMIN).order_by("pk").first()
print(json.dumps({
    "pairs": pairs,
    "teacher_cookie": pairs[0]["cookie"],
    "admin": admin.pk,
    "admin_cookie": cookie(admin),
    "section": section.pk,
    "designer_cookie": cookie(section.parcours.designers.order_by("pk").first()),
}))
"""

REQUEST_REPORT = r"""
from preau.accounts.models import User
from preau.hours.report import request_report
from preau.hours.rules import school_year_of
from django.utils import timezone
admin = User.objects.get(pk={admin})
print(request_report(by=admin, academie=None,
                     school_year=school_year_of(timezone.localdate()) - 1).pk)
"""

# A worker whose report steps last one second more each: a "middle" to be killed in.
SLOW_WORKER = r"""
import time
import django
django.setup()
from preau.hours import report
compute = report.departement_figures
def slow(*args):
    figures = compute(*args)
    time.sleep(1)
    return figures
report.departement_figures = slow
from django.core.management import call_command
call_command("db_worker", "--no-reload", "--interval", "0.5", "--no-startup-delay")
"""


def manage(env, *args: str) -> str:
    return run([PYTHON, "manage.py", *args], env=env)


def shell(env, code: str) -> str:
    return manage(env, "shell", "--no-imports", "-c", code)


def gunicorn(env, port: int, log: Path) -> subprocess.Popen:
    process = spawn(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--timeout",
            "30",
            "--no-control-socket",
        ],
        env=env,
        log=log,
    )
    wait_for(port)
    return process


# 1. PostgreSQL restarted under load --------------------------------------------------------

WRK_SCRIPT = r"""
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) codes = {}; french = 0; traces = 0 end
function response(status, headers, body)
  codes[status] = (codes[status] or 0) + 1
  if status == 503 and body:find("momentanément indisponible", 1, true) then french = french + 1 end
  if body:find("Traceback", 1, true) then traces = traces + 1 end
end
function done(summary, latency, requests)
  local out = io.open(os.getenv("WRK_OUT"), "w")
  local total_french, total_traces = 0, 0
  for _, thread in ipairs(threads) do
    for code, n in pairs(thread:get("codes")) do out:write("code ", code, " ", n, "\n") end
    total_french = total_french + thread:get("french")
    total_traces = total_traces + thread:get("traces")
  end
  out:write("french ", total_french, "\n", "traces ", total_traces, "\n")
  out:write("requests ", summary.requests, "\n")
  local e = summary.errors
  out:write("socket_errors ", e.connect + e.read + e.write + e.timeout, "\n")
  out:write("p99_ms ", latency:percentile(99) / 1000, "\n")
  out:close()
end
"""


def restart_under_load(cluster: Cluster, setup: dict, base: Path) -> None:
    say(f"1. PostgreSQL redémarré sous charge (wrk {LOAD_SECONDS} s, arrêt de {OUTAGE_SECONDS} s)")
    page = "/heures/"
    assert request(WEB_PORT, "GET", page, cookie=setup["teacher_cookie"])[0] == 200
    (base / "wrk.lua").write_text(WRK_SCRIPT)
    wrk_out = base / "wrk.out"
    wrk = subprocess.Popen(
        ["wrk", "-t2", "-c8", f"-d{LOAD_SECONDS}s", "--timeout", "10s", "-s", str(base / "wrk.lua")]
        + [
            "-H",
            f"Cookie: sessionid={setup['teacher_cookie']}",
            f"http://127.0.0.1:{WEB_PORT}{page}",
        ],
        env={**os.environ, "WRK_OUT": str(wrk_out)},
        stdout=subprocess.DEVNULL,
    )
    started.append(wrk)
    t0 = time.monotonic()
    end = t0 + LOAD_SECONDS
    probes: list[tuple[float, int]] = []
    enrolments: dict[str, list] = {"acked": [], "refused": [], "other": []}
    enrol_codes: dict[int, int] = {}
    bad_bodies = {"traceback": 0, "not_french_503": 0}

    def probe():
        while time.monotonic() < end:
            status, body = request(WEB_PORT, "GET", page, cookie=setup["teacher_cookie"], timeout=5)
            probes.append((time.monotonic() - t0, status))
            time.sleep(0.1)

    def enrol():
        for pair in setup["pairs"]:
            if time.monotonic() >= end:
                break
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": CSRF, "key": pair["key"]})
            status, text = request(
                WEB_PORT,
                "POST",
                f"/sessions/offre/{pair['session']}/inscription/",
                cookie=pair["cookie"],
                body=body.encode(),
                content_type="application/x-www-form-urlencoded",
                timeout=10,
            )
            enrol_codes[status] = enrol_codes.get(status, 0) + 1
            if "Traceback" in text:
                bad_bodies["traceback"] += 1
            if status == 503 and FRENCH_503 not in text:
                bad_bodies["not_french_503"] += 1
            if 300 <= status < 400:
                enrolments["acked"].append({**pair, "at": time.monotonic() - t0})
            elif status == 200:
                enrolments["refused"].append(pair)  # the form said no: not an enrolment
            else:
                enrolments["other"].append(pair)
            time.sleep(0.01)

    threads = [threading.Thread(target=probe), threading.Thread(target=enrol)]
    for thread in threads:
        thread.start()
    time.sleep(OUTAGE_AT)
    t_down = time.monotonic() - t0
    cluster.stop("fast")
    time.sleep(OUTAGE_SECONDS)
    cluster.start()
    t_up = time.monotonic() - t0
    for thread in threads:
        thread.join()
    wrk.wait(timeout=LOAD_SECONDS + 30)

    codes, wrk_figures = {}, {}
    for line in wrk_out.read_text().splitlines():
        parts = line.split()
        if parts[0] == "code":
            codes[int(parts[1])] = codes.get(int(parts[1]), 0) + int(parts[2])  # per thread
        else:
            wrk_figures[parts[0]] = float(parts[1])
    failures = [t for t, status in probes if status != 200 and t >= t_down]
    back = [t for t, status in probes if status == 200 and t >= t_up]
    first_back = back[0] if back else None
    acked = enrolments["acked"]
    path = base / "acked.json"
    path.write_text(json.dumps(acked))
    present = {
        (user, session)
        for user, session in cluster.sql("SELECT user_id, session_id FROM training_enrolment")
    }
    lost = [pair for pair in acked if (pair["user"], pair["session"]) not in present]
    figures["restart"] = {
        "wrk_requests": int(wrk_figures["requests"]),
        "wrk_codes": codes,
        "wrk_french_503": int(wrk_figures["french"]),
        "wrk_tracebacks": int(wrk_figures["traces"]),
        "wrk_socket_errors": int(wrk_figures["socket_errors"]),
        "wrk_p99_ms": round(wrk_figures["p99_ms"]),
        "down_at": round(t_down, 1),
        "up_at": round(t_up, 1),
        "first_failure_at": round(failures[0], 1) if failures else None,
        "back_at": round(first_back, 1) if first_back else None,
        "recovery_after_db_up": round(first_back - t_up, 2) if first_back else None,
        "unavailable_seconds": round(first_back - failures[0], 1) if failures and first_back else 0,
        "probe_codes": {
            status: sum(1 for _t, s in probes if s == status) for status in {s for _t, s in probes}
        },
        "enrol_posts": sum(enrol_codes.values()),
        "enrol_codes": enrol_codes,
        "enrol_acked": len(acked),
        "enrol_refused_by_form": len(enrolments["refused"]),
        "enrol_lost": len(lost),
        "enrol_bad_bodies": bad_bodies,
    }
    r = figures["restart"]
    say(json.dumps(r, ensure_ascii=False))
    check("wrk : des réponses 503 pendant l’arrêt", codes.get(503, 0) > 0)
    check("wrk : chaque 503 est la page française", r["wrk_french_503"] == codes.get(503, 0))
    check("wrk : aucune 500", codes.get(500, 0) == 0)
    check("wrk : aucune trace Python dans une réponse", r["wrk_tracebacks"] == 0)
    check("wrk : seulement des 200 et des 503", set(codes) <= {200, 503})
    check(
        "inscriptions : aucune 500, aucune trace, 503 en français",
        enrol_codes.get(500, 0) == 0 and bad_bodies == {"traceback": 0, "not_french_503": 0},
    )
    check(
        "service revenu moins de 10 s après le redémarrage de PostgreSQL",
        first_back is not None and first_back - t_up < 10,
    )
    check(
        "inscriptions : des inscriptions acquittées avant l’arrêt et après le redémarrage",
        any(pair["at"] < t_down for pair in acked) and any(pair["at"] > t_up for pair in acked),
    )
    check("inscriptions : aucune écriture acquittée perdue", not lost)


# 2. The report worker killed mid-task ------------------------------------------------------


def report_row(cluster, pk):
    return cluster.sql(
        "SELECT status, error, csv_file, xlsx_file, row_count FROM hours_hoursreport WHERE id = %s",
        (pk,),
    )[0]


def wait_status(cluster, pk, statuses, seconds) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status = report_row(cluster, pk)[0]
        if status in statuses:
            return status
        time.sleep(0.2)
    return report_row(cluster, pk)[0]


def worker_killed(cluster: Cluster, setup: dict, env: dict, base: Path) -> None:
    say("2. Worker tué pendant le rapport annuel des heures")
    worker = spawn([PYTHON, "-c", SLOW_WORKER], env=env, log=base / "worker.log")
    pk = int(shell(env, REQUEST_REPORT.replace("{admin}", str(setup["admin"]))).strip())
    status = wait_status(cluster, pk, {"running", "done", "failed"}, 60)
    if not check("le rapport est en cours de calcul", status == "running"):
        stop(worker)
        return
    time.sleep(1.5)  # mid-task: some départements done
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    killed = time.monotonic()
    say(f"worker {worker.pid} tué (SIGKILL) en plein calcul du rapport {pk}")
    page = ""
    while time.monotonic() - killed < 60:
        _status, page = request(WEB_PORT, "GET", "/heures/rapports/", cookie=setup["admin_cookie"])
        if report_row(cluster, pk)[0] == "failed":
            break
        time.sleep(1)
    detected = time.monotonic() - killed
    status, error, csv_file, xlsx_file, row_count = report_row(cluster, pk)
    leftovers = [
        p for p in Path(env["MEDIA_ROOT"]).rglob("*") if p.is_file() and "hours-reports" in str(p)
    ]
    figures["worker"] = {
        "report": pk,
        "status_after": status,
        "error": error,
        "found_failed_after_seconds": round(detected, 1),
        "stale_seconds": STALE_SECONDS,
        "files_left": len(leftovers),
    }
    check("le rapport est marqué échoué", status == "failed")
    check("avec un message clair en français", error.startswith("Le calcul a été interrompu"))
    check("la page des rapports le dit", "Demandez de nouveau le rapport" in page)
    check(
        "rien d’écrit à moitié (ni fichier, ni chiffres)",
        not csv_file and not xlsx_file and row_count is None and not leftovers,
    )
    # Asked again, a live worker builds it.
    worker = spawn(
        [
            PYTHON,
            "manage.py",
            "db_worker",
            "--no-reload",
            "--interval",
            "0.5",
            "--no-startup-delay",
        ],
        env=env,
        log=base / "worker.log",
    )
    again = int(shell(env, REQUEST_REPORT.replace("{admin}", str(setup["admin"]))).strip())
    status = wait_status(cluster, again, {"done", "failed"}, 120)
    stop(worker)
    figures["worker"]["asked_again"] = status
    check("demandé de nouveau, le rapport est construit", status == "done")


HR_COUNTS = (
    "SELECT (SELECT count(*) FROM hr_hrsession), (SELECT count(*) FROM hr_hrtrainee), "
    "(SELECT count(*) FROM training_enrolment), (SELECT count(*) FROM accounts_user)"
)


def hr_import_killed(cluster: Cluster, setup: dict, env: dict, base: Path) -> None:
    say("2 bis. Import GAIA tué pendant son application")
    folder = base / "gaia"
    day = datetime.date.today().isoformat()
    manage(
        env,
        "gaia_generate",
        str(folder),
        "--academie",
        "A070",
        "--day",
        day,
        "--formations",
        "3000",
        "--trainees",
        "15000",
    )
    manage_args = [PYTHON, "manage.py", "gaia_import", str(folder), "--academie", "A070"]
    before = cluster.sql(HR_COUNTS)[0]
    importer = spawn([*manage_args, "--apply"], env=env, log=base / "gaia.log")
    caught = None
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and importer.poll() is None:
        rows = cluster.sql(
            "SELECT i.id FROM hr_hrimport i JOIN hr_importlock l ON l.hr_import_id = i.id "
            "WHERE i.status = 'applying' AND l.holder <> ''"
        )
        if rows:
            caught = rows[0][0]
            break
        time.sleep(0.1)
    if not check("l’import est saisi en pleine application", caught is not None):
        stop(importer)
        return
    time.sleep(1)
    importer.send_signal(signal.SIGKILL)
    importer.wait()
    killed = time.monotonic()
    say(f"import {caught} : processus {importer.pid} tué (SIGKILL) pendant l’application")
    after_kill = cluster.sql(HR_COUNTS)[0]
    page = ""
    while time.monotonic() - killed < 60:
        _status, page = request(
            WEB_PORT, "GET", f"/rh/imports/{caught}/", cookie=setup["admin_cookie"]
        )
        if cluster.sql("SELECT status FROM hr_hrimport WHERE id = %s", (caught,))[0][0] != (
            "applying"
        ):
            break
        time.sleep(1)
    status, refusal = cluster.sql(
        "SELECT status, refusal FROM hr_hrimport WHERE id = %s", (caught,)
    )[0]
    detected = time.monotonic() - killed
    run([*manage_args, "--apply"], env=env)  # the same files, again, with nobody killed
    applied = cluster.sql(
        "SELECT count(*) FROM hr_hrimport WHERE status = 'applied' AND id > %s", (caught,)
    )[0][0]
    after_retry = cluster.sql(HR_COUNTS)[0]
    figures["hr"] = {
        "import": caught,
        "status_after": status,
        "refusal": refusal,
        "found_failed_after_seconds": round(detected, 1),
        "counts_before": before,
        "counts_after_kill": after_kill,
        "counts_after_retry": after_retry,
    }
    check("rien d’appliqué à moitié (sessions, stagiaires, inscriptions)", after_kill == before)
    check("l’import est marqué échoué, « rien n’a été modifié »", status == "failed")
    check("la page de l’import le dit", "rien n’a été modifié" in page)
    check("relancé, l’import s’applique", applied == 1 and after_retry != before)


# 3. A full disk on upload ------------------------------------------------------------------


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = secrets.token_hex(12)
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for name, (filename, content) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def disk_full(cluster: Cluster, setup: dict, env: dict, base: Path) -> None:
    say("3. Disque plein au dépôt d’un fichier (tmpfs de 1 Mo)")
    small = base / "small-disk"
    small.mkdir()
    mounted = (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(small)], check=False
        ).returncode
        == 0
    )
    if not check("petit disque tmpfs monté (root et CAP_SYS_ADMIN)", mounted):
        say("disque plein non éprouvé ici : les tests tests/*/test_disk_full.py le simulent")
        return
    try:
        server = gunicorn({**env, "MEDIA_ROOT": str(small)}, DISK_PORT, base / "disk-web.log")
        title = "Programme trop lourd pour le disque"
        body, content_type = multipart(
            {"csrfmiddlewaretoken": CSRF, "title": title, "body": ""},
            {"file": ("programme.pdf", b"%PDF-1.4\n" + os.urandom(1_500_000))},
        )
        status, page = request(
            DISK_PORT,
            "POST",
            f"/parcours/contenu/sections/{setup['section']}/ajouter/file/",
            cookie=setup["designer_cookie"],
            body=body,
            content_type=content_type,
            timeout=30,
        )
        stop(server)
        left = [str(p.relative_to(small)) for p in small.rglob("*") if p.is_file()]
        rows = cluster.sql("SELECT count(*) FROM parcours_activity WHERE title = %s", (title,))[0][
            0
        ]
        figures["disk"] = {"status": status, "files_left": left, "rows": rows}
        check("la page répond (200, pas 500)", status == 200)
        check("elle dit en français que le disque est plein", DISK_FULL in page)
        check("aucun fichier tronqué laissé sur le disque", not left)
        check("aucune activité enregistrée sans son fichier", rows == 0)
    finally:
        subprocess.run(["umount", str(small)], check=False)


# 4. Backup and restore ---------------------------------------------------------------------


LEDGER = (
    "SELECT count(*), coalesce(sum(presence_hours), 0), coalesce(sum(distance_hours), 0) "
    "FROM hours_entry"
)


def backup_restore(cluster: Cluster, env: dict, base: Path) -> None:
    say("4. Sauvegarde puis restauration dans une base neuve")
    before = cluster.sql(LEDGER)[0]
    started_at = time.monotonic()
    manage(env, "backup", str(base / "backup"))
    backup_seconds = time.monotonic() - started_at
    cluster.sql(f"DROP DATABASE IF EXISTS {RESTORE_DB}", db="postgres")
    cluster.sql(f"CREATE DATABASE {RESTORE_DB}", db="postgres")
    restored_media = base / "media-restored"
    restore_env = {**env, "DATABASE_URL": url(RESTORE_DB), "MEDIA_ROOT": str(restored_media)}
    started_at = time.monotonic()
    out = manage(restore_env, "restore", str(base / "backup"))
    restore_seconds = time.monotonic() - started_at
    after = cluster.sql(LEDGER, db=RESTORE_DB)[0]
    media = sorted(p.name for p in Path(env["MEDIA_ROOT"]).rglob("*") if p.is_file())
    restored = sorted(p.name for p in restored_media.rglob("*") if p.is_file())
    size = sum(p.stat().st_size for p in (base / "backup").iterdir())
    figures["backup"] = {
        "ledger_before": [str(v) for v in before],
        "ledger_restored": [str(v) for v in after],
        "media_files": len(media),
        "media_restored": len(restored),
        "backup_seconds": round(backup_seconds, 1),
        "restore_seconds": round(restore_seconds, 1),
        "backup_bytes": size,
    }
    say(out.strip())
    check("la restauration a vérifié ses totaux (manage.py restore)", "totaux vérifiés" in out)
    check("même registre des heures (lignes, heures)", before == after and before[0] > 0)
    check("mêmes fichiers déposés", media == restored)
    cluster.sql(f"DROP DATABASE {RESTORE_DB}", db="postgres")


# The report --------------------------------------------------------------------------------


def write_figures(path: Path, command: str) -> None:
    r, w, d, b = (figures.get(k, {}) for k in ("restart", "worker", "disk", "backup"))
    passed = all(ok for _l, ok in checks)
    verdict = "tous les contrôles passent" if passed else "DES CONTRÔLES ÉCHOUENT"
    lines = [
        MARKERS[0],
        f"Mesuré le {datetime.datetime.now(datetime.UTC):%Y-%m-%d à %H:%M} UTC par `{command}` "
        f"({verdict}"
        f", {sum(ok for _l, ok in checks)}/{len(checks)}), PostgreSQL "
        f"{figures.get('postgres', '?')} jetable, gunicorn 2 processus, `CONN_MAX_AGE=60`.",
        "",
    ]
    if r:
        codes = ", ".join(f"{n} × {c}" for c, n in sorted(r["wrk_codes"].items()))
        enrol = ", ".join(f"{n} × {c}" for c, n in sorted(r["enrol_codes"].items()))
        lines += [
            "| PostgreSQL redémarré sous charge | |",
            "|---|---|",
            f"| Requêtes wrk sur `/heures/` (2 fils, 8 connexions, {LOAD_SECONDS} s) | "
            f"{r['wrk_requests']} ({codes}) |",
            f"| Réponses 503 (page française, `Retry-After`) | {r['wrk_codes'].get(503, 0)} |",
            f"| Réponses 500 / traces Python | {r['wrk_codes'].get(500, 0)} / "
            f"{r['wrk_tracebacks']} |",
            f"| Erreurs de connexion au serveur web | {r['wrk_socket_errors']} |",
            f"| PostgreSQL arrêté à / relancé à | {r['down_at']} s / {r['up_at']} s |",
            f"| Service indisponible (première erreur → première page servie) | "
            f"{r['unavailable_seconds']} s |",
            f"| Service revenu après le redémarrage de PostgreSQL | "
            f"{r['recovery_after_db_up']} s |",
            f"| Inscriptions envoyées (POST) | {r['enrol_posts']} ({enrol}) |",
            f"| Inscriptions acquittées (302) / retrouvées en base / perdues | "
            f"{r['enrol_acked']} / "
            f"{r['enrol_acked'] - r['enrol_lost']} / {r['enrol_lost']} |",
            "",
        ]
    if w:
        lines += [
            "| Worker tué pendant le rapport annuel | |",
            "|---|---|",
            f"| État du rapport après `SIGKILL` | {w['status_after']} : « {w['error']} » |",
            f"| Trouvé interrompu après | {w['found_failed_after_seconds']} s "
            f"(`PREAU_HOURS_REPORT_STALE_SECONDS={w['stale_seconds']}`) |",
            f"| Fichiers laissés | {w['files_left']} |",
            f"| Redemandé, avec un worker vivant | {w.get('asked_again', '?')} |",
            "",
        ]
    h = figures.get("hr", {})
    if h:
        lines += [
            "| Import GAIA tué pendant son application | |",
            "|---|---|",
            f"| Sessions, stagiaires, inscriptions, comptes avant / après `SIGKILL` | "
            f"{h['counts_before']} / {h['counts_after_kill']} |",
            f"| État de l’import | {h['status_after']} : « {h['refusal']} » |",
            f"| Trouvé interrompu après | {h['found_failed_after_seconds']} s "
            f"(`PREAU_HR_HEARTBEAT_STALE_SECONDS={STALE_SECONDS}`) |",
            f"| Relancé : compteurs après application | {h['counts_after_retry']} |",
            "",
        ]
    if d:
        lines += [
            "| Disque plein au dépôt (tmpfs de 1 Mo, fichier de 1,5 Mo) | |",
            "|---|---|",
            f"| Réponse | {d['status']}, « {DISK_FULL} : votre fichier n’a pas été enregistré… » |",
            f"| Fichiers laissés / activités créées | {len(d['files_left'])} / {d['rows']} |",
            "",
        ]
    if b:
        lines += [
            "| Sauvegarde et restauration (base neuve) | |",
            "|---|---|",
            f"| Registre des heures avant (lignes, h présence, h distance) | "
            f"{' ; '.join(b['ledger_before'])} |",
            f"| Registre restauré | {' ; '.join(b['ledger_restored'])} |",
            f"| Fichiers déposés / restaurés | {b['media_files']} / {b['media_restored']} |",
            f"| Durées sauvegarde / restauration, taille | {b['backup_seconds']} s / "
            f"{b['restore_seconds']} s, {b['backup_bytes'] // 1024} Kio |",
            "",
        ]
    lines += ["Contrôles :", ""]
    lines += [f"- {'✅' if ok else '❌'} {label}" for label, ok in checks]
    lines.append(MARKERS[1])
    text = path.read_text()
    begin, end = text.index(MARKERS[0]), text.index(MARKERS[1]) + len(MARKERS[1])
    path.write_text(text[:begin] + "\n".join(lines) + text[end:])


def main() -> int:
    base = Path(tempfile.mkdtemp(prefix="preau-faults-"))
    base.chmod(0o755)
    cluster = Cluster(base)
    try:
        say(f"cluster PostgreSQL jetable dans {base}, port {PG_PORT}")
        cluster.create()
        figures["postgres"] = cluster.sql("SHOW server_version", db="postgres")[0][0].split()[0]
        cluster.sql(f"CREATE DATABASE {DB}", db="postgres")
        media = base / "media"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "DEBUG": "false",
            "DATABASE_URL": url(DB),
            "CONN_MAX_AGE": "60",
            "PREAU_VAR_DIR": str(base / "var"),
            "MEDIA_ROOT": str(media),
            "PREAU_HOURS_REPORT_STALE_SECONDS": str(STALE_SECONDS),
            "PREAU_HR_HEARTBEAT_STALE_SECONDS": str(STALE_SECONDS),
            "FAULTS_ENROLMENTS": str(ENROLMENTS),
        }
        say("migrate et données de démo…")
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "seed", "--scale", "demo", "--verbosity", "0")
        setup = json.loads(shell(env, SETUP))
        say(f"{len(setup['pairs'])} inscriptions prêtes")
        web = gunicorn(env, WEB_PORT, base / "web.log")
        restart_under_load(cluster, setup, base)
        worker_killed(cluster, setup, env, base)
        hr_import_killed(cluster, setup, env, base)
        disk_full(cluster, setup, env, base)
        stop(web)
        backup_restore(cluster, env, base)
        web_log = (base / "web.log").read_text()
        check(
            "journal du serveur web : les coupures y sont tracées", "Service Unavailable" in web_log
        )
    finally:
        for process in reversed(started):
            stop(process)
        cluster.remove()
        if os.environ.get("FAULTS_KEEP"):
            say(f"dossier conservé : {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)
    if "--write" in sys.argv:
        write_figures(ROOT / "docs" / "reliability.md", "make faults")
        say("chiffres écrits dans docs/reliability.md")
    failed = [label for label, ok in checks if not ok]
    say(f"{len(checks) - len(failed)}/{len(checks)} contrôles passent")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
