import sys

from django.contrib.auth.decorators import login_required
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils import timezone

from accounts.scope import Action, scope_paths
from branches.selectors import leads_work, top_unit

from . import selectors


@login_required
def home(request):
    """ "Việc cần làm": what is waiting for the user, each with its count and one click to it, and where to start."""
    user = request.user
    return render(
        request,
        "home.html",
        {
            "todo": selectors.todo_for(user, timezone.localdate()),
            "unit": top_unit(user),
            "can_enter": scope_paths(user, Action.ENTER) != [],
            "can_lead": leads_work(user),
            "section": "home",
        },
    )


@login_required
def guide(request):
    """The user guide, in Vietnamese, written for a commune cadre; each main screen links to its part."""
    return render(request, "help/guide.html", {"section": "help"})


@login_required
def search(request):
    """The top bar's search: members, units and records of the user's units."""
    text = request.GET.get("q", "")
    return render(
        request, "search.html", {"q": text.strip()[:80], "groups": selectors.search_everything(request.user, text)}
    )


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def _database_unavailable(error: BaseException | None) -> bool:
    while error is not None:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        error = error.__cause__ or error.__context__
    return False


def server_error(request):
    # No context processors here: the error may have come from them.
    if _database_unavailable(sys.exc_info()[1]):
        # PostgreSQL restarting or unreachable: nothing was done, and a retry in a moment will work.
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "15"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())
