"""Kill the background worker in the middle of a 100,000-row import, then run it again (PostgreSQL).

    .venv/bin/python benchmarks/faults.py [--rows 100000] [--database-url URL]

On a fresh database ``hoilhpn_bench_faults`` with one commune: uploads a
100,000-row legacy list, lets the worker read it, asks for the import, kills the
worker (SIGKILL) while it writes, and checks that not one member, period, event
or audit row was written. It then shows what a cadre sees (the job given back
with its message, once the worker has been silent for the set time), starts a
new worker, imports again and checks that all rows are there exactly once.
Prints each step and ends with one JSON line.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_support import recreate_database, sibling

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


# The served application refuses the built-in key when DEBUG is off.
BENCH_KEY = os.environ.get("SECRET_KEY") or os.urandom(24).hex()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/hoilhpn_bench_faults")
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    env = {**os.environ, "DATABASE_URL": args.database_url, "DEBUG": "false", "SECRET_KEY": BENCH_KEY,
           "DJANGO_SETTINGS_MODULE": "hoilhpn.settings"}  # fmt: skip
    media = tempfile.mkdtemp(prefix="hoilhpn-faults-")
    env["MEDIA_ROOT"] = media
    os.environ.update(env)
    recreate_database(args.database_url)
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from branches.constants import Level, UnitType
    from branches.services import unit_create
    from imports import services
    from imports.models import ImportJob
    from members.models import Member, MemberEvent, Membership

    call_command("migrate", verbosity=0)
    province = unit_create(name="Tỉnh Thử Nghiệm", level=Level.PROVINCE, unit_type=UnitType.PROVINCE, code="99")
    commune = unit_create(name="Xã Thử Nghiệm", level=Level.COMMUNE, unit_type=UnitType.COMMUNE, parent=province,
                          code="99001")  # fmt: skip
    from django.contrib.auth import get_user_model

    from accounts.models import Role

    cadre = get_user_model().objects.create_user("can-bo-xa", password="x")
    Role.objects.create(user=cadre, unit=commune, can_enter=True)
    import_bench = sibling("import")
    for branch in import_bench.BRANCHES:
        unit_create(name=f"Chi hội {branch}", level=Level.BRANCH, unit_type=UnitType.BRANCH, parent=commune)
    with tempfile.TemporaryDirectory() as folder:
        legacy, _bare = import_bench.write_files(args.rows, Path(folder))
        upload = SimpleUploadedFile("danh-sach.xlsx", legacy.read_bytes())

    def counts():
        history = Member.history.model.objects.count()
        return Member.objects.count(), Membership.objects.count(), MemberEvent.objects.count(), history

    def wait_for(job, states, seconds=600):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.state in states:
                return job
            time.sleep(0.2)
        raise SystemExit(f"job stuck in {job.state}")

    workers = []

    def start_worker():
        process = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "run_worker"], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        workers.append(process)
        return process

    try:
        run(services, ImportJob, commune, cadre, upload, counts, start_worker, wait_for, args)
    finally:
        for process in workers:
            process.kill()


def run(services, ImportJob, commune, cadre, upload, counts, start_worker, wait_for, args):  # noqa: N803
    worker = start_worker()
    job = services.job_create(upload=upload, commune=commune, branch=None, create_branches=False, actor=cadre)
    wait_for(job, {ImportJob.State.READY})
    print(f"preview ready: {job.preview['counts']}")
    before = counts()
    services.job_request_commit(job=job, actor=cadre)
    wait_for(job, {ImportJob.State.COMMITTING})
    progress_file = services._progress_path(job.pk)
    # Kill it while it writes, not while it reads: the import stores each batch while it cleans the next, so from
    # halfway through the cleaning on (30 %) batches have been written; the last of them go in at "write".
    while True:
        data = json.loads(progress_file.read_text()) if progress_file.exists() else {}
        if data.get("stage") == "write" or (data.get("stage") == "clean" and data.get("percent", 0) >= 30):
            break
        job.refresh_from_db()
        if job.state != ImportJob.State.COMMITTING:
            raise SystemExit(f"the import ended ({job.state}) before it could be killed: try more --rows")
        time.sleep(0.05)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    print(f"worker killed during the write ({data.get('percent')}%)")
    time.sleep(1)
    after_kill = counts()
    half_written = after_kill != before
    print(f"rows (members, periods, events, audit) before {before}, after the kill {after_kill}: "
          f"{'HALF-WRITTEN' if half_written else 'nothing written'}")  # fmt: skip

    # What the cadre sees once the worker has been silent for the set time.
    services.INTERRUPTED_AFTER = services.INTERRUPTED_AFTER.__class__(seconds=2)
    time.sleep(2.5)
    job.refresh_from_db()
    shown = services.job_progress(job)
    print(f"the page then shows: {shown['state_label']} – {job.error}")

    worker = start_worker()
    started = time.perf_counter()
    services.job_request_commit(job=job, actor=cadre)
    wait_for(job, {ImportJob.State.DONE, ImportJob.State.READY})
    rerun_s = time.perf_counter() - started
    worker.terminate()
    worker.wait()
    final = counts()
    print(f"re-run: {job.get_state_display()} in {rerun_s:.1f} s; rows now {final}")
    ok = not half_written and job.state == ImportJob.State.DONE and final[0] == before[0] + args.rows
    print(json.dumps({"rows": args.rows, "half_written": half_written, "given_back": shown["state"],
                      "rerun_state": job.state, "members_after_rerun": final[0], "ok": ok}))  # fmt: skip
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
