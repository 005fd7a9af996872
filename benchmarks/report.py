"""The annual report of the whole demo province on PostgreSQL: the heaviest GROUP BY, the HTML page, the PDF.

    .venv/bin/python benchmarks/report.py [--year 2024] [--reuse] [--database-url URL]

Creates (or with --reuse, keeps) the database ``hoilhpn_bench`` with the demo
province (420,000 members, about 2,500 branches, years of supervision, dialogue
and period reports), then measures, in one run:
- the bare time of the heaviest query behind the report (members on both end
  dates by branch, ethnicity and religion, with the age bands, special groups
  and core members), run as raw SQL;
- for reference, members × district × age band × minority with the rate;
- the HTML report page for the province, as the province office opens it;
- the PDF, rendered as the background worker renders it.
Each figure is the best of ``--repeat`` runs after one warm-up. Ends with one JSON line.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

from bench_support import recreate_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REFERENCE_SQL = """
WITH tree AS (
    SELECT unit_id, path, level FROM branches_unitperiod
    WHERE (valid_from IS NULL OR valid_from <= %(day)s) AND (valid_to IS NULL OR valid_to > %(day)s)
), counts AS (
    SELECT split_part(t.path, '.', 2) AS district,
           CASE WHEN m.birth_year > %(year)s - 31 THEN '18-30' WHEN m.birth_year > %(year)s - 46 THEN '31-45'
                WHEN m.birth_year > %(year)s - 61 THEN '46-60' ELSE '61+' END AS band,
           m.ethnicity <> 'Kinh' AS minority, COUNT(*) AS n
    FROM members_membership ms
    JOIN members_member m ON m.id = ms.member_id
    JOIN tree t ON t.unit_id = ms.branch_id
    WHERE ms.started_on <= %(day)s AND (ms.ended_on IS NULL OR ms.ended_on > %(day)s)
    GROUP BY 1, 2, 3
)
SELECT c.district, c.band, c.minority, c.n,
       ROUND(100.0 * SUM(c.n) OVER (PARTITION BY c.district) / NULLIF(p.women_18_plus, 0), 2) AS rate
FROM counts c LEFT JOIN branches_unitpopulation p ON p.unit_id = c.district::int AND p.year = %(year)s
"""


def best(fn, repeat: int) -> float:
    fn()  # warm-up: caches, connections, imports
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/hoilhpn_bench")
    parser.add_argument("--members", type=int, default=420_000)
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="Keep an already loaded database.")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoilhpn.settings")
    os.environ["DEBUG"] = "false"
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    if not args.reuse:
        recreate_database(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command

    from members.models import Member

    call_command("migrate", verbosity=0)
    if not Member.objects.exists():
        started = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            call_command("load_demo", f"--members={args.members}", stdout=quiet)
        print(f"demo load: {Member.objects.count():,} members in {time.perf_counter() - started:.1f} s")
    else:
        print(f"reusing {Member.objects.count():,} members")

    import datetime

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Q
    from django.test import Client

    from branches.models import Unit
    from members import figures
    from reports import services
    from reports.models import Document
    from reports.selectors import annual

    province = Unit.objects.get(level="province", valid_to__isnull=True)
    span = annual.Span.year(args.year)
    previous = span.previous()
    tree, before = annual.Tree(province, span.end), annual.Tree(province, previous.end)
    print(f"province {province.name}: {len(tree.nodes):,} units in the {args.year} tree")
    where = Q(branch_id__in=tree.ids_query) | Q(branch_id__in=before.ids_query)

    def heaviest():
        # What the report would cost without the figures table: both end dates counted from the periods.
        return figures.live(None, [span.end, previous.end], where=where)

    def kept():
        return figures.figures_on(tree.ids_query, span.end), figures.figures_on(before.ids_query, previous.end)

    kept()  # the first report on these days keeps them
    kept_s = best(kept, args.repeat)
    print(f"the same figures read from the figures table: {kept_s * 1000:.0f} ms")

    def reference():
        with connection.cursor() as cursor:
            cursor.execute(REFERENCE_SQL, {"day": datetime.date(args.year, 12, 31), "year": args.year})
            return cursor.fetchall()

    groupby_s = best(heaviest, args.repeat)
    print(f"heaviest GROUP BY (members by branch × ethnicity × religion, both end dates): {groupby_s * 1000:.0f} ms")
    reference_s = best(reference, args.repeat)
    print(f"reference GROUP BY (members × district × age band × minority, with the rate): {reference_s * 1000:.0f} ms")

    client = Client()
    client.force_login(get_user_model().objects.get(username="tinh"))
    url = f"/reports/annual/?unit={province.pk}&span={span.key}"

    def page():
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    html_s = best(page, args.repeat)
    print(f"HTML report page: {html_s * 1000:.0f} ms ({html_s / groupby_s:.1f}× the heaviest GROUP BY; goal ≤ 3×)")

    def pdf():
        document = Document.objects.create(unit=province, span=span.key, format=Document.Format.PDF)
        services.document_render(document.pk)
        document.refresh_from_db()
        assert document.state == Document.State.DONE, document.error
        return document

    pdf_s = best(pdf, max(1, args.repeat - 1))
    size = pdf().file.size
    print(f"PDF (build + narrative + WeasyPrint): {pdf_s:.2f} s, {size / 1024:.0f} KiB (goal ≤ 10 s)")
    print(
        json.dumps(
            {
                "groupby_s": round(groupby_s, 3),
                "figures_table_s": round(kept_s, 3),
                "reference_groupby_s": round(reference_s, 3),
                "html_s": round(html_s, 3),
                "pdf_s": round(pdf_s, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
