"""Member register at province size on PostgreSQL: demo load, list page latency, xlsx export.

    .venv/bin/python benchmarks/members.py [--members 420000] [--reuse] [--database-url URL]

Creates (or with --reuse, keeps) the database ``hoilhpn_bench``, loads the demo
province with its members, then measures:
- the member list with a filter and an accent-insensitive search, as the
  province office: 200 sequential requests, and the same page from 20
  concurrent clients against gunicorn;
- exporting every member to xlsx, beside the bare time of the writer alone.
Prints its figures and ends with one JSON line of them.
"""

import argparse
import http.client
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from bench_support import recreate_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PORT = 8765


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/hoilhpn_bench")
    parser.add_argument("--members", type=int, default=420_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--workers", type=int, default=max(2, os.cpu_count() or 2))
    parser.add_argument("--reuse", action="store_true", help="Keep an already loaded database.")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoilhpn.settings")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-" + os.urandom(16).hex())
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"

    if not args.reuse:
        recreate_database(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command

    from members.models import Member

    call_command("migrate", verbosity=0)
    demo_load_s = None
    if not Member.objects.exists():
        started = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            call_command("load_demo", f"--members={args.members}", stdout=quiet)
        demo_load_s = time.perf_counter() - started
        print(f"demo load: {Member.objects.count():,} members in {demo_load_s:.1f} s")
    else:
        print(f"reusing {Member.objects.count():,} members")

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django.test import Client

    from branches.models import Unit
    from common.text import fold

    user = get_user_model().objects.get(username="tinh")
    districts = list(Unit.objects.filter(level="district", valid_to__isnull=True).values_list("pk", flat=True))
    rng = random.Random(7)
    names = list(Member.objects.order_by("?").values_list("full_name", flat=True)[: args.requests])
    queries = []
    for index, name in enumerate(names):
        words = fold(name).split()
        # What a cadre types: the whole name without accents, the last two words, or family and given name
        # ("dang anh" for Đặng Thị Anh: words in order), with a filter.
        text = [" ".join(words), f"{words[-2]} {words[-1]}", f"{words[0]} {words[-1]}"][index % 3]
        params = {"q": text, "status": "active"}
        params["unit" if index % 3 else "age"] = rng.choice(districts) if index % 3 else rng.choice(["31-45", "46-60"])
        queries.append(params)

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.get("/members/", queries[0])  # warm-up
    timings = []
    for params in queries:
        started = time.perf_counter()
        response = client.get("/members/", params)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    list_p50, list_p95 = statistics.median(timings), percentile(timings, 0.95)
    print(f"member list, 1 client, {len(timings)} requests: p50 {list_p50:.0f} ms, p95 {list_p95:.0f} ms")

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    connection.close()
    env = {**os.environ}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "hoilhpn.wsgi", f"--bind=127.0.0.1:{PORT}", f"--workers={args.workers}",
         "--threads=4", "--worker-class=gthread", "--log-level=warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/login/")
                break
            except OSError:
                time.sleep(0.1)
        cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
        concurrent_timings: list[float] = []
        lock = threading.Lock()
        work = list(queries) * 2

        def worker(items):
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            for params in items:
                started = time.perf_counter()
                conn.request("GET", "/members/?" + urlencode(params), headers={"Cookie": cookie})
                response = conn.getresponse()
                response.read()
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status == 200, response.status
                with lock:
                    concurrent_timings.append(elapsed)

        threads = [
            threading.Thread(target=worker, args=(work[i :: args.concurrency],)) for i in range(args.concurrency)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait()
    list_p50_c, list_p95_c = statistics.median(concurrent_timings), percentile(concurrent_timings, 0.95)
    print(
        f"member list, {args.concurrency} clients ({args.workers} gunicorn workers × 4 threads, "
        f"{os.cpu_count()} CPUs): "
        f"p50 {list_p50_c:.0f} ms, p95 {list_p95_c:.0f} ms, {len(concurrent_timings) / wall:.0f} requests/s"
    )

    from members import exporters, selectors

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with tempfile.TemporaryFile() as handle:
        exporters.render_xlsx(
            selectors.export_rows(Member.objects.all()), unit=Unit.objects.get(parent=None), target=handle
        )
        size = os.fstat(handle.fileno()).st_size
    export_s = time.perf_counter() - started
    rss_growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    print(f"xlsx export of {Member.objects.count():,} members: {export_s:.1f} s, {size / 1e6:.1f} MB file, "
          f"peak memory grew by {rss_growth:.0f} MB")  # fmt: skip

    rows = list(exporters._table(selectors.export_rows(Member.objects.all())))
    started = time.perf_counter()
    from common.xlsx import XlsxStream

    with tempfile.TemporaryFile() as handle, XlsxStream(handle, "Hội viên") as sheet:
        for line in rows:
            sheet.row(line)
    export_writer_s = time.perf_counter() - started
    print(f"the writer alone, same {len(rows):,} rows already in memory: {export_writer_s:.1f} s")

    figures = {
        "list_p50_ms": round(list_p50, 1),
        "list_p95_ms": round(list_p95, 1),
        "list_p50_ms_20c": round(list_p50_c, 1),
        "list_p95_ms_20c": round(list_p95_c, 1),
        "export_s": round(export_s, 1),
        "export_writer_s": round(export_writer_s, 1),
        "export_rss_growth_mb": round(rss_growth),
        "demo_load_s": round(demo_load_s, 1) if demo_load_s is not None else None,
        "members": Member.objects.count(),
        "cpus": os.cpu_count(),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
