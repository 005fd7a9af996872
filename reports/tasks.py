"""Background work of reports, run by `manage.py run_worker`."""

from django_tasks import task


@task()
def render_document(document_id: int) -> None:
    from . import services

    services.document_render(document_id)
