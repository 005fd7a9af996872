"""The user guide is in the app, in Vietnamese, and the main screens link to their part of it."""

import re

import pytest
from django.urls import reverse


def test_the_guide_covers_a_cadres_work(world, login):
    body = login(world.alice).get(reverse("help")).content.decode()
    for anchor in ("bat-dau", "hoi-vien", "nhap", "giam-sat", "phong-trao", "bao-cao", "tong-hop"):
        assert f'id="{anchor}"' in body


@pytest.mark.parametrize(
    "name",
    ["home", "members:member_list", "imports:import_list", "supervision:supervision_list", "programmes:group_list",
     "reports:board", "reports:annual"],
)  # fmt: skip
def test_each_main_screen_links_to_its_part_of_the_guide(world, login, name):
    body = login(world.bob).get(reverse(name)).content.decode()
    anchors = set(re.findall(r'href="/help/#([a-z-]+)"', body))
    guide = login(world.bob).get(reverse("help")).content.decode()
    assert anchors and all(f'id="{a}"' in guide for a in anchors), anchors
