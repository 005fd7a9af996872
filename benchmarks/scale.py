"""The system at 1×, 2× and 4× a province, on PostgreSQL: does one province's work stay the same while others
are added, and how does the national report grow?

    .venv/bin/python benchmarks/scale.py [--members 420000] [--sizes 1,2,4] [--database-url URL]

Creates the database ``hoilhpn_scale`` with a national root (Trung ương Hội) and, at each size, either adds
demo provinces under it (``--grow provinces``: each about 2,500 branches and ``--members`` members, with their
history) until there are as many as the size, or makes one province's branches hold more members
(``--grow members``: ``--members`` × the size). At each size it measures:
- the national report (``annual.build`` of the root for last year): the first time, which keeps the year ends'
  member figures in the figures table, and then as every later visit costs (best of ``--repeat``);
- one province's report (the first province, always the same), built the same way, and its HTML page;
- the member list of that province with a name search, 100 requests after 10 to warm up: p95;
- a 5,000-row import into one of its communes (the command line import, all or nothing).
Ends with one JSON line.
"""

import argparse
import gc
import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench_support import recreate_database, sibling

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def commune_list(rows: int, seed: int, offset: int = 0) -> bytes:
    """A commune's list of new women: a title, a header, one branch column, valid citizen IDs."""
    import datetime

    from openpyxl import Workbook

    rng = random.Random(seed)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("DS")
    sheet.append(["DANH SÁCH HỘI VIÊN"])
    sheet.append(["STT", "Họ và tên", "Ngày sinh", "Dân tộc", "Số CCCD", "Ngày vào Hội", "Chi hội"])
    for n in range(1, rows + 1):
        born = datetime.date(1955, 1, 1) + datetime.timedelta(days=rng.randint(0, 16000))
        serial = offset + n  # unique in this list and across the lists of one run
        cccd = f"001{1 if born.year < 2000 else 3}{born.year % 100:02d}{serial:06d}"
        name = f"{rng.choice(['Nguyễn', 'Trần', 'Lê', 'Phạm'])} Thị {rng.choice(['Hoa', 'Lan', 'Mai', 'Hà', 'Yến'])}"
        joined = min(born + datetime.timedelta(days=365 * 20), datetime.date(2025, 6, 30))
        sheet.append([n, name, born.strftime("%d/%m/%Y"), "Kinh", cccd, joined.strftime("%d/%m/%Y"),
                      f"Thôn Mới {n % 5 + 1}"])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/hoilhpn_scale")
    parser.add_argument("--members", type=int, default=420_000, help="members per province")
    parser.add_argument("--sizes", default="1,2,4", help="numbers of provinces to measure at")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--grow", choices=["provinces", "members"], default="provinces",
        help="add provinces (each of --members) or make the one province bigger (--members × size)",
    )  # fmt: skip
    parser.add_argument(
        "--work", action="store_true",
        help="give every province the demo's work as well (supervision, dialogue, cadres, programmes, period "
             "reports), so that the report's parts other than the members grow with the provinces too",
    )  # fmt: skip
    args = parser.parse_args()
    sizes = sorted({int(size) for size in args.sizes.split(",")})
    best = sibling("report").best  # the best of ``repeat`` runs after a warm-up, as the report benchmark times

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoilhpn.settings")
    os.environ["DEBUG"] = "false"
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    recreate_database(args.database_url)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from branches.constants import Level
    from branches.demo import build_demo_province, create_demo_users
    from branches.services.official import national_root
    from cadres.demo import build_demo_cadres
    from members.demo import build_demo_members
    from members.models import Member
    from programmes.demo import build_demo_programmes
    from reports.demo import build_demo_reports
    from reports.selectors import annual
    from supervision.demo import build_demo_supervision

    call_command("migrate", verbosity=0)
    root = national_root(effective_on=None)
    provinces = []
    year = timezone.localdate().year - 1
    span = annual.Span.year(year)
    results = {key: [] for key in ("members", "national_report_s", "national_first_s", "province_report_s",
                                   "province_html_s", "list_p95_ms", "import_5k_s")}  # fmt: skip
    for size in sizes:
        if args.grow == "members" and provinces:
            missing = size * args.members - Member.objects.count()
            started = time.perf_counter()
            build_demo_members(provinces[0], count=missing, seed=2025 + size)
            print(f"{missing:,} more members in province 1 in {time.perf_counter() - started:.0f} s")
        while len(provinces) < (size if args.grow == "provinces" else 1):
            index = len(provinces)
            started = time.perf_counter()
            province = build_demo_province(
                seed=2025 + index, code=str(99 - index), name=f"Tỉnh Mẫu Số {index + 1}", parent=root
            )
            if index == 0:
                create_demo_users(province)
            count = args.members * (size if args.grow == "members" else 1)
            build_demo_members(province, count=count, seed=2025 + index)
            if args.work:
                build_demo_supervision(province, seed=2025 + index)
                build_demo_cadres(province, seed=2025 + index)
                build_demo_programmes(province, seed=2025 + index)
                build_demo_reports(province, seed=2025 + index)
            provinces.append(province)
            print(f"province {index + 1} loaded in {time.perf_counter() - started:.0f} s")
        first = provinces[0]
        members = Member.objects.count()
        # What loading left in memory is not the system's: out of the collector's way, so that in-process timings
        # of the fourth province do not pay for sweeping the first three.
        gc.collect()
        gc.freeze()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # not autovacuum's work on the new rows in the middle of the timings
        print(f"\nsize {size}: {len(provinces)} province(s), {members:,} members")

        national_first = timed(lambda: annual.build(root, span))
        national = best(lambda: annual.build(root, span), args.repeat)
        province = best(lambda first=first: annual.build(first, span), args.repeat)
        client = Client()
        client.force_login(get_user_model().objects.get(username="tinh"))
        url = f"/reports/annual/?unit={first.pk}&span={span.key}"
        html = best(lambda client=client, url=url: client.get(url), args.repeat)

        rng = random.Random(size)
        latencies = []
        for _ in range(10):  # warm-up
            client.get("/members/", {"unit": first.pk, "q": "hoa"})
        for _ in range(100):
            query = {"unit": first.pk, "q": rng.choice(["thi hoa", "nguyen lan", "mai", "tran thi", "ha"])}
            started = time.perf_counter()
            assert client.get("/members/", query).status_code == 200
            latencies.append((time.perf_counter() - started) * 1000)
        p95 = statistics.quantiles(latencies, n=20)[-1]

        commune = first.children.filter(level=Level.DISTRICT).first().children.filter(level=Level.COMMUNE).first()
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
            handle.write(commune_list(5000, seed=size * 7919, offset=size * 10_000))
            handle.flush()
            out = io.StringIO()
            arguments = ["import_members", handle.name, "--unit", commune.code, "--create-branches", "--json"]
            imported = timed(lambda arguments=arguments, out=out: call_command(*arguments, stdout=out))
        summary = json.loads(out.getvalue())
        assert summary["new"] == 5000, summary  # every row written, none rejected
        print(
            f"national report {national:.2f} s (first, keeping the year ends: {national_first:.2f} s); "
            f"province report {province:.2f} s, its page {html:.2f} s; member list p95 {p95:.0f} ms; "
            f"5,000-row import {imported:.1f} s"
        )
        for key, value in (
            ("members", members), ("national_report_s", round(national, 3)),
            ("national_first_s", round(national_first, 3)), ("province_report_s", round(province, 3)),
            ("province_html_s", round(html, 3)), ("list_p95_ms", round(p95)), ("import_5k_s", round(imported, 2)),
        ):  # fmt: skip
            results[key].append(value)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
