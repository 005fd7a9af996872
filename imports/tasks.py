"""Background work of imports, run by `manage.py run_worker` (django-tasks, queued in the database)."""

from django_tasks import task


@task()
def analyse_import(job_id: int) -> None:
    from . import services

    services.job_analyse(job_id)


@task()
def commit_import(job_id: int) -> None:
    from . import services

    services.job_commit(job_id)
