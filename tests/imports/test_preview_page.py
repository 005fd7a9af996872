"""The import preview page shows values as the register will hold them."""

from tests.test_masking_sweep import exposed  # noqa: F401  (a fixture: a commune with an import job)


def test_the_import_preview_shows_a_year_of_birth_as_a_year(world, exposed, login):  # noqa: F811
    page = login(world.bob).get(f"/imports/{exposed['job'].pk}/").content.decode()
    assert "<td>1980</td>" in page and "1.980" not in page
