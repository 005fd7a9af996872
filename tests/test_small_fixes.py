"""Small things that cost a user's trust: each one checked."""

from pathlib import Path

from django.conf import settings
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)


def test_make_run_serves_without_debug_pages():
    recipe = (ROOT / "Makefile").read_text(encoding="utf-8").split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "DEBUG=true" not in recipe and "SECRET_KEY" in recipe and "LOCAL_STATIC=true" in recipe


def test_an_unknown_page_is_the_apps_own_404_in_vietnamese(client, db):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_there_is_a_favicon(client, db):
    assert (ROOT / "static" / "img" / "favicon.svg").exists()
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("img/favicon.svg")


def test_a_form_with_errors_says_so_at_the_top_with_links(world, login):
    client = login(world.alice)
    response = client.post(reverse("supervision:case_create"), {"unit": world.commune_a1.pk, "kind": "mediation"})
    body = response.content.decode()
    summary = body.index("data-error-summary")
    assert summary < body.index('id="id_subject"')  # above the first field, not only beside it
    assert 'href="#id_subject"' in body[summary:] and 'href="#id_received_on"' in body[summary:]


def test_an_impossible_year_is_said_not_silently_replaced(world, login):
    client = login(world.bob)
    body = client.get(reverse("reports:target_list"), {"year": "1800"}, follow=True).content.decode()
    assert "“1800”" in body and "không phải năm" in body
    body = client.get(reverse("reports:annual"), {"kind": "year", "year": "1800"}).content.decode()
    assert "data-error" in body


def test_after_an_import_the_page_speaks_of_what_was_done():
    text = (ROOT / "templates" / "imports" / "import_detail.html").read_text(encoding="utf-8")
    assert "These branches were created:" in text and "as they were recorded" in text


def test_a_commune_board_shows_her_own_report_not_zero_expected(world, login):
    import datetime

    from reports.models import ReportingPeriod

    ReportingPeriod.objects.create(
        kind="year", year=2024, start=datetime.date(2023, 12, 15), end=datetime.date(2024, 12, 14),
        deadline=datetime.date(2024, 12, 24),
    )  # fmt: skip
    body = login(world.alice).get(reverse("reports:board"), {"unit": world.commune_a1.pk}).content.decode()
    assert "data-no-children" in body and 'data-figure="expected"' not in body
    assert "Xã Tân Ấn" in body  # the button to her own report
    body = login(world.bob).get(reverse("reports:board"), {"unit": world.district_a.pk}).content.decode()
    assert 'data-figure="expected"' in body
