"""Report-deadline load on the demo province (PostgreSQL, gunicorn and the worker on 127.0.0.1), with faults.

    .venv/bin/python benchmarks/load.py [--users 50] [--seconds 300] [--restart-postgres-at 120] [--reuse]

Starts gunicorn and the background worker against ``hoilhpn_bench`` (the demo
province: 420,000 members; loaded first unless --reuse), then runs ``--users``
simulated cadres for ``--seconds``, each with her own session, thinking 0.5–2 s
between actions:
- browsing: the member list with a search, recommendations, dialogues, the
  reports board, the dashboard, a member's page;
- entering a dialogue forum with two opinions (commune cadres);
- saving their commune's period report (commune cadres);
- two imports of a 5,000-row list, one after the other, through the worker;
- the province's PDF, printed through the worker.
With ``--restart-postgres-at S`` PostgreSQL is restarted S seconds in; requests
that fail while it is down are counted apart, and none may fail once it is back.
Prints the 95th percentile per kind of page and the errors, then one JSON line.
Only ever talks to 127.0.0.1.
"""

import argparse
import html.parser
import http.cookiejar
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

from bench_support import recreate_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PORT = 8767
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "hoilhpn-demo-2025"


class FormParser(html.parser.HTMLParser):
    """The fields a browser would send for the first form that has a CSRF token."""

    def __init__(self):
        super().__init__()
        self.fields, self.done, self.inside, self.select, self.textarea = {}, False, False, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.done:
            return
        if tag == "form" and a.get("method", "").lower() == "post":
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "button", "file", "checkbox"):
            self.fields.setdefault(a["name"], a.get("value", ""))
        elif tag == "select" and a.get("name"):
            self.select = a["name"]
        elif tag == "option" and self.select and (self.select not in self.fields or "selected" in a):
            self.fields[self.select] = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self.textarea = a["name"]
            self.fields.setdefault(a["name"], "")

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form" and self.inside:
            self.inside, self.done = False, True

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea] += data


class Cadre:
    def __init__(self, username: str, record):
        self.username = username
        self.record = record
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def request(self, kind: str, path: str, data: dict | None = None, files: tuple | None = None):
        body, headers = None, {"Referer": BASE + path}
        if files:
            boundary = "----hoilhpnload"
            parts = []
            for key, value in (data or {}).items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
                )
            name, filename, content = files
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n".encode()
                + content
                + b"\r\n"
            )
            parts.append(f"--{boundary}--\r\n".encode())
            body = b"".join(parts)
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif data is not None:
            body = urllib.parse.urlencode(data, doseq=True).encode()
        started = time.perf_counter()
        status, text, self.url = 0, "", ""
        try:
            with self.opener.open(urllib.request.Request(BASE + path, data=body, headers=headers), timeout=120) as r:
                status, text, self.url = r.status, r.read().decode("utf-8", "replace"), r.geturl()
        except urllib.error.HTTPError as error:
            status = error.code
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            status = 0
        self.record(kind, time.perf_counter() - started, status)
        return status, text

    def form(self, kind: str, path: str) -> dict:
        status, text = self.request(kind, path)
        parser = FormParser()
        parser.feed(text)
        return parser.fields if status == 200 else {}

    def log_in(self) -> bool:
        fields = self.form("login", "/login/")
        fields.update(username=self.username, password=PASSWORD)
        status, _text = self.request("login", "/login/", fields)
        return status == 200


# The served application refuses the built-in key when DEBUG is off.
BENCH_KEY = os.environ.get("SECRET_KEY") or os.urandom(24).hex()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/hoilhpn_bench")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 2) * 2))
    parser.add_argument("--restart-postgres-at", type=int, default=0)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()

    env = {**os.environ, "DATABASE_URL": args.database_url, "DEBUG": "false", "SECRET_KEY": BENCH_KEY,
           "ALLOWED_HOSTS": "127.0.0.1", "DJANGO_SETTINGS_MODULE": "hoilhpn.settings",
           "AXES_FAILURE_LIMIT": "1000"}  # fmt: skip
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    from branches.models import Unit
    from members.models import Member
    from reports.models import ReportingPeriod

    if not args.reuse:
        recreate_database(args.database_url)
    call_command("migrate", verbosity=0)
    if not Member.objects.exists():
        with open(os.devnull, "w") as quiet:
            call_command("load_demo", stdout=quiet)
    call_command("collectstatic", "--noinput", verbosity=0)
    from django.contrib.auth import get_user_model

    from accounts.models import Role

    # Every commune cadre account of the demo, so that the dialogue and report entries spread over communes.
    users = get_user_model()
    communes = list(Unit.objects.filter(level="commune", valid_to__isnull=True).order_by("?")[:30])
    cadres = []
    for commune in communes:
        user, _ = users.objects.get_or_create(username=f"tai-{commune.pk}", defaults={"first_name": "Tải"})
        user.set_password(PASSWORD)
        user.save()
        Role.objects.get_or_create(user=user, unit=commune, defaults={"can_enter": True})
        cadres.append((user.username, commune.pk))
    period = ReportingPeriod.objects.filter(end__lt=__import__("datetime").date.today()).order_by("-end").first()
    province = Unit.objects.get(level="province", valid_to__isnull=True)
    branches = {
        commune: branch
        for branch, commune in Unit.objects.filter(level="branch", parent_id__in=[c.pk for c in communes])
        .order_by("pk")
        .values_list("pk", "parent_id")
    }
    member_ids = list(Member.objects.order_by("?").values_list("pk", flat=True)[:200])
    names = list(Member.objects.order_by("?").values_list("full_name", flat=True)[:200])
    from django.db import connections

    connections.close_all()

    log = tempfile.NamedTemporaryFile("w", suffix=".log", delete=False)  # noqa: SIM115 - the servers write it
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "hoilhpn.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers",
         str(args.workers), "--timeout", "120", "--chdir", str(ROOT)], env=env, stdout=log, stderr=log,
    )  # fmt: skip
    worker = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "run_worker"], env=env, stdout=log, stderr=log)
    for _ in range(100):
        try:
            urllib.request.urlopen(BASE + "/login/", timeout=2)
            break
        except OSError:
            time.sleep(0.2)

    timings: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    outage: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    window = {"down": None}  # (start, end) of the PostgreSQL restart, errors inside are counted apart

    def record(kind, seconds, status):
        end = time.monotonic()
        start = end - seconds
        with lock:
            timings[kind].append(seconds)
            if status == 0 or status >= 500:
                down = window["down"]
                # A request that was under way while the database was down counts with the outage.
                if down and start <= down[1] and end >= down[0]:
                    outage[kind] += 1
                else:
                    errors[kind] += 1

    stop_at = time.monotonic() + args.seconds
    rng = random.Random(11)

    def browse(cadre: Cadre, own: int | None):
        pages = [
            ("member list", lambda: f"/members/?{urllib.parse.urlencode({'q': rng.choice(names).split()[-1]})}"),
            ("recommendations", lambda: "/supervision/recommendations/?status=open"),
            ("dialogues", lambda: "/supervision/dialogues/"),
            ("reports board", lambda: "/reports/"),
            ("dashboard", lambda: "/reports/dashboard/"),
            ("member page", lambda: f"/members/{rng.choice(member_ids)}/"),
        ]
        kind, path = rng.choice(pages)
        cadre.request(kind, path())

    def enter_dialogue(cadre: Cadre, own: int):
        fields = cadre.form("dialogue form", "/supervision/dialogues/new/")
        if not fields:
            return
        fields.update({"unit": own, "topic": "Đối thoại về việc làm (tải thử)", "participants": "60",
                       "op-TOTAL_FORMS": "2", "op-0-field": "labour", "op-0-content": "Đề nghị mở lớp nghề",
                       "op-0-outcome": "answered", "op-1-field": "land", "op-1-content": "Cấp sổ đỏ chậm",
                       "op-1-outcome": "answered"})  # fmt: skip
        cadre.request("dialogue save", "/supervision/dialogues/new/", fields)

    def save_report(cadre: Cadre, own: int):
        path = f"/reports/{period.pk}/{own}/"
        fields = cadre.form("period report", path)
        if fields:
            fields["save"] = "1"
            cadre.request("period report save", path, fields)

    def cadre_loop(index: int):
        username, own = cadres[index % len(cadres)] if index % 5 else ("tinh", None)
        cadre = Cadre(username, record)
        if not cadre.log_in():
            errors["login"] += 1
            return
        local = random.Random(index)
        while time.monotonic() < stop_at:
            roll = local.random()
            if own and roll < 0.12:
                enter_dialogue(cadre, own)
            elif own and roll < 0.22:
                save_report(cadre, own)
            else:
                browse(cadre, own)
            time.sleep(local.uniform(0.5, 2.0))

    def importer(index: int):
        username, own = cadres[index]
        cadre = Cadre(username, record)
        cadre.log_in()
        round_ = 0
        while time.monotonic() < stop_at:
            round_ += 1
            content = member_list(5000, seed=index * 1000 + round_)
            fields = cadre.form("import form", "/imports/")
            fields.update({"commune": own})
            fields.pop("create_branches", None)
            # The whole list goes to one branch of the commune.
            fields["branch"] = branches[own]
            started = time.perf_counter()
            status, _text = cadre.request("import upload", "/imports/", fields, files=("file", "ds.xlsx", content))
            job = _job_id(cadre.url)
            if not job:
                # A failed request is already counted (with the outage when the database was down); a page that
                # came back without a job is an error of its own.
                if status == 200:
                    record("import refused", 0.0, 500)
                time.sleep(5)
                continue
            if _wait(cadre, f"/imports/{job}/progress/", stop_at) and _commit(cadre, job):
                _wait(cadre, f"/imports/{job}/progress/", stop_at)
                record("import end to end", time.perf_counter() - started, 200)
            time.sleep(5)

    def printer():
        cadre = Cadre("tinh", record)
        cadre.log_in()
        while time.monotonic() < stop_at:
            fields = cadre.form("annual report", f"/reports/annual/?unit={province.pk}")
            span = f"year:{period.year}-01-01:{period.year}-12-31"
            started = time.perf_counter()
            query = urllib.parse.urlencode({"unit": province.pk, "span": span})
            token = fields.get("csrfmiddlewaretoken", "")
            cadre.request(
                "print request", f"/reports/annual/print/?{query}", {"csrfmiddlewaretoken": token, "format": "pdf"}
            )
            document = _document_id(cadre.url)
            if document and _wait(cadre, f"/reports/documents/{document}/progress/", stop_at):
                record("PDF end to end", time.perf_counter() - started, 200)
            time.sleep(20)

    def restart_postgres():
        time.sleep(args.restart_postgres_at)
        started = time.monotonic()
        window["down"] = (started, started + 60)
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart"], check=False)
        window["down"] = (started, time.monotonic() + 5)  # a few seconds for the pools to notice
        print(f"PostgreSQL restarted in {time.monotonic() - started:.1f} s", flush=True)

    threads = [threading.Thread(target=cadre_loop, args=(i,)) for i in range(args.users)]
    threads += [threading.Thread(target=importer, args=(i,)) for i in range(2)]
    threads.append(threading.Thread(target=printer))
    if args.restart_postgres_at:
        threads.append(threading.Thread(target=restart_postgres))
    print(f"{args.users} cadres + 2 importers + 1 printer for {args.seconds} s against {BASE} "
          f"({args.workers} gunicorn workers, 1 task worker)", flush=True)  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    server.terminate()
    worker.terminate()
    server.wait()
    worker.wait()

    summary = {}
    for kind in sorted(timings):
        values = sorted(timings[kind])
        p95 = values[max(0, math.ceil(0.95 * len(values)) - 1)]
        summary[kind] = {"n": len(values), "p50_s": round(statistics.median(values), 3), "p95_s": round(p95, 3),
                         "errors": errors.get(kind, 0)}  # fmt: skip
        print(f"{kind:22} n={len(values):6} p50={statistics.median(values) * 1000:7.0f} ms "
              f"p95={p95 * 1000:7.0f} ms errors={errors.get(kind, 0)}")  # fmt: skip
    total_errors = sum(errors.values())
    print(f"errors: {total_errors}; failed while PostgreSQL restarted: {sum(outage.values())}; server log: {log.name}")
    print(json.dumps({"users": args.users, "seconds": args.seconds, "errors": total_errors,
                      "outage_errors": sum(outage.values()), "pages": summary}))  # fmt: skip


def member_list(rows: int, seed: int) -> bytes:
    """A commune's list as cadres keep it: a title, a header, then members; new women every time."""
    import datetime
    import io

    from openpyxl import Workbook

    rng = random.Random(seed)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("DS")
    sheet.append(["DANH SÁCH HỘI VIÊN"])
    sheet.append(["STT", "Họ và tên", "Ngày sinh", "Dân tộc", "Số CCCD", "Ngày vào Hội"])
    for n in range(1, rows + 1):
        born = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randint(0, 20000))
        name = f"{rng.choice(['Nguyễn', 'Trần', 'Lê', 'Phạm'])} Thị {rng.choice(['Hoa', 'Lan', 'Mai', 'Hà', 'Yến'])}"
        sheet.append([n, name, born.strftime("%d/%m/%Y"), "Kinh", f"0{rng.randint(10**10, 10**11 - 1)}",
                      (born + datetime.timedelta(days=365 * 20)).strftime("%d/%m/%Y")])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _job_id(text: str) -> int | None:
    import re

    found = re.search(r"/imports/(\d+)/", text)
    return int(found.group(1)) if found else None


def _document_id(text: str) -> int | None:
    import re

    found = re.search(r"/reports/documents/(\d+)/", text)
    return int(found.group(1)) if found else None


def _wait(cadre: Cadre, path: str, stop_at: float) -> bool:
    while time.monotonic() < stop_at + 120:
        status, text = cadre.request("progress poll", path)
        if status == 200 and not json.loads(text).get("running"):
            return True
        time.sleep(1)
    return False


def _commit(cadre: Cadre, job: int) -> bool:
    fields = cadre.form("import preview", f"/imports/{job}/")
    token = {"csrfmiddlewaretoken": fields.get("csrfmiddlewaretoken", "")}
    status, _text = cadre.request("import commit", f"/imports/{job}/commit/", token)
    return status == 200


if __name__ == "__main__":
    main()
