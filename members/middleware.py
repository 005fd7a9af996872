"""A page whose member figures are not kept yet and would take too long to count in the request."""

from django.core.cache import cache
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from . import figures, tasks

# How long a page asks the browser to wait before it tries again, in seconds.
RETRY_SECONDS = 15


class KeptFiguresMiddleware:
    """Reports read the members of every branch on a month's last day from the figures table; the first read of
    a new day counts it for every branch of the register. On a national register that is about a minute a day,
    longer than a request may last: the day is then handed to the worker, and the page says so and reloads
    itself until the figures are there (``members.figures.in_request``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with figures.in_request():
            return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, figures.FiguresNotReady):
            return None
        days = [day.isoformat() for day in exception.days]
        # Once for every page that waits on the same days, not once per reload.
        if cache.add(f"figures-keep:{','.join(days)}", True, timeout=RETRY_SECONDS * 20):
            tasks.keep_figure_days.enqueue(days)
        days_text = ", ".join(day.strftime("%d/%m/%Y") for day in exception.days)
        # A page reloads itself; a form sent (signing a report) is not sent again behind her back.
        reloads = request.method in ("GET", "HEAD")
        back = request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = ""
        context = {"days_text": days_text, "reloads": reloads, "back": back, "seconds": RETRY_SECONDS}
        response = render(request, "members/figures_pending.html", context, status=202)
        if reloads:
            response["Refresh"] = str(RETRY_SECONDS)
        return response
