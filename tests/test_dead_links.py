"""No page shows a user a link she may not follow: from the home page, every link of the site that a user of each
level is shown (a branch, a commune, a district, the province) opens for her, not a 404 or an error. Buttons
to record what only a commune or a level above records (dialogue forums, supervisions, training courses,
imports of movement records) are not shown to a branch."""

import re
from urllib.parse import urlsplit

import pytest

from accounts.models import Role
from tests.factories import MemberFactory, UserFactory

# Links that leave the page for a download, a change of language or the session: not pages to open.
SKIP = re.compile(r"logout|/static/|/media/|/i18n/|jsi18n|format=|/export|\.xlsx|\.pdf|\.csv|/download|/admin/")
PAGES = 120  # distinct shapes of address per user: every screen of the menu and what it links to


def _shape(url: str) -> str:
    parts = urlsplit(url)
    query = "&".join(sorted(re.sub(r"=.*", "", p) for p in parts.query.split("&") if p))
    return re.sub(r"\d+", "N", parts.path) + "?" + query


def _walk(client) -> dict[str, int]:
    seen: dict[str, int] = {}
    shapes: set[str] = set()
    queue = ["/"]
    while queue and len(seen) < PAGES:
        url = queue.pop(0)
        if url in seen or _shape(url) in shapes:
            continue
        shapes.add(_shape(url))
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            for href in re.findall(r'href="(/[^"#]*)"', response.content.decode()):
                href = href.replace("&amp;", "&")
                if not SKIP.search(href):
                    queue.append(href)
    return seen


@pytest.fixture
def branch_user(world):
    user = UserFactory(username="chihoi")
    Role.objects.create(user=user, unit=world.branch_a1, can_enter=True)
    return user


@pytest.mark.parametrize("who", ["branch", "alice", "bob", "province_admin"])
def test_every_link_a_user_is_shown_opens(world, login, branch_user, who):
    MemberFactory(branch=world.branch_a1)
    user = branch_user if who == "branch" else getattr(world, who)
    seen = _walk(login(user))
    assert len(seen) > 30  # the walk went through the menu, not just the home page
    broken = {url: status for url, status in seen.items() if status not in (200, 302)}
    assert broken == {}, broken


def test_a_branch_is_not_offered_what_only_a_commune_records(world, login, branch_user):
    client = login(branch_user)
    pages = "".join(client.get(url).content.decode() for url in ("/", "/programmes/group/", "/cadres/trainings/"))
    for name in ("dialogues/new/", "supervisions/new/", "group/import/", "trainings/new/"):
        assert name not in pages, name
    commune = login(world.alice)
    pages = "".join(commune.get(url).content.decode() for url in ("/", "/programmes/group/", "/cadres/trainings/"))
    for name in ("dialogues/new/", "supervisions/new/", "group/import/", "trainings/new/"):
        assert name in pages, name
