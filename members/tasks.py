"""Background work of the member register, run by `manage.py run_worker`."""

import datetime

from django_tasks import task


@task()
def keep_figure_days(days: list[str]) -> None:
    """Keep the member figures of ``days`` (ISO dates) that a page asked for and a request could not wait for."""
    from . import figures

    figures.keep([datetime.date.fromisoformat(day) for day in days])
