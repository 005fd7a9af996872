"""Cadres, trainings and classifications: scoped pages and the rules of their services."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cadres import services
from cadres.models import Cadre, Classification, Term
from tests.factories import MemberFactory


@pytest.fixture
def term(db):
    return Term.objects.get(name="2021–2026")


def test_cadres_are_scoped(world, term, login):
    cadre = services.cadre_save(
        actor=world.alice, unit=world.commune_a1, term=term, full_name="Lê Thị Lan", position="chair"
    )
    url = reverse("cadres:cadre_edit", args=[cadre.pk])
    assert login(world.bob).get(url).status_code == 200
    assert login(world.charlie).get(url).status_code == 404
    assert (
        "Lê Thị Lan" not in login(world.charlie).get(reverse("cadres:cadre_list") + f"?term={term.pk}").content.decode()
    )
    assert "Lê Thị Lan" in login(world.bob).get(reverse("cadres:cadre_list") + f"?term={term.pk}").content.decode()
    with pytest.raises(ValidationError):
        services.cadre_save(actor=world.charlie, unit=world.commune_a1, term=term, full_name="X", position="chair")


def test_a_cadre_linked_to_a_member_of_another_commune_is_refused(world, term):
    member = MemberFactory(branch=world.branch_a2)
    with pytest.raises(ValidationError):
        services.cadre_save(
            actor=world.bob, unit=world.commune_a1, term=term, full_name="X", position="chair", member=member
        )
    ok = services.cadre_save(
        actor=world.bob, unit=world.district_a, term=term, full_name="X", position="chair", member=member
    )
    assert ok.member == member


def test_member_lookup_finds_only_members_in_scope(world, login):
    MemberFactory(branch=world.branch_a1, full_name="Trần Thị Mơ")
    MemberFactory(branch=world.branch_b1, full_name="Phạm Thị Mơ")
    url = reverse("members:member_lookup")
    found = login(world.alice).get(url, {"q": "mo"}).json()["results"]
    assert [item["label"].split(" (")[0] for item in found] == ["Trần Thị Mơ"]
    found = login(world.charlie).get(url, {"q": "thi mo"}).json()["results"]
    assert [item["label"].split(" (")[0] for item in found] == ["Phạm Thị Mơ"]
    assert login(world.alice).get(url, {"q": "m"}).json() == {"results": []}


def test_cadre_form_links_her_member_record_and_takes_her_name_from_it(world, term, login):
    member = MemberFactory(branch=world.branch_a1, full_name="Trần Thị Mơ")
    stranger = MemberFactory(branch=world.branch_b1)
    data = {"unit": world.commune_a1.pk, "term": term.pk, "position": "chair", "degree": "", "political_theory": ""}
    client = login(world.alice)
    refused = client.post(reverse("cadres:cadre_create"), {**data, "member": stranger.pk})
    assert refused.status_code == 200 and refused.context["form"].errors["member"]
    missing = client.post(reverse("cadres:cadre_create"), data)
    assert "full_name" in missing.context["form"].errors
    assert client.post(reverse("cadres:cadre_create"), {**data, "member": member.pk}).status_code == 302
    cadre = Cadre.objects.get()
    assert (cadre.member, cadre.full_name) == (member, "Trần Thị Mơ")
    # Editing shows who she is, not her id.
    assert "Trần Thị Mơ (" in client.get(reverse("cadres:cadre_edit", args=[cadre.pk])).content.decode()


def test_classification_once_a_year_and_only_communes_and_branches(world, login):
    services.classify(actor=world.alice, unit=world.branch_a1, year=2024, grade="good")
    services.classify(actor=world.alice, unit=world.branch_a1, year=2024, grade="strong")
    assert Classification.objects.get().grade == "strong"
    with pytest.raises(ValidationError):
        services.classify(actor=world.bob, unit=world.district_a, year=2024, grade="strong")
    with pytest.raises(ValidationError):
        services.classify(actor=world.charlie, unit=world.branch_a1, year=2024, grade="failed")
    page = login(world.bob).get(reverse("cadres:classification_list"), {"year": 2024})
    assert page.context["table"][0][2] == 1  # one strong branch


def test_training_counts_its_cadres(world, term, login):
    cadre = services.cadre_save(actor=world.bob, unit=world.commune_a1, term=term, full_name="Y", position="vice_chair")
    response = login(world.bob).post(
        reverse("cadres:training_create"),
        {
            "unit": world.district_a.pk,
            "topic": "Tập huấn giám sát",
            "started_on": "2024-05-02",
            "participants": "0",
            "cadres": [cadre.pk],
        },
    )
    assert response.status_code == 302
    assert cadre.trainings.get().participants == 1
    assert Cadre.objects.count() == 1


def test_the_cadre_summary_and_the_annual_report_count_chairs_alike(world, term, login):
    import datetime

    from reports.selectors import annual

    people = [
        (world.commune_a1, "chair", True, "university"),
        (world.commune_a2, "chair", False, "postgraduate"),
        (world.commune_a1, "vice_chair", True, "college"),
        (world.commune_a2, "vice_chair", True, "university"),
        (world.district_a, "chair", True, "university"),  # a district's chair is not a commune chair
    ]
    for unit, position, standard, degree in people:
        services.cadre_save(
            actor=world.bob, unit=unit, term=term, full_name=f"Cán bộ {position}", position=position,
            meets_standard=standard, degree=degree,
        )  # fmt: skip
    summary = login(world.bob).get(reverse("cadres:cadre_list"), {"term": term.pk}).context["summary"]
    year = min(datetime.date.today().year, term.end_year)
    figures = annual.build(world.district_a, annual.Span.year(year)).figures
    compared = [
        (position, metric)
        for position in ("chair", "vice_chair")
        for metric in ("n", "standard", "degree")
        if f"cadres.{position}.{metric}" in figures  # the report prints some of them
    ]
    assert len(compared) >= 4
    for position, metric in compared:
        assert summary[f"{position}_{metric}"] == figures[f"cadres.{position}.{metric}"].value, (position, metric)
    assert (summary["chair_n"], summary["chair_standard"], summary["chair_degree"]) == (2, 1, 2)


def test_the_cadre_list_shows_the_chosen_term_or_the_current_one(world, term, login):
    from cadres.selectors import current_term

    services.cadre_save(actor=world.bob, unit=world.commune_a1, term=term, full_name="Cán bộ Khóa Cũ", position="chair")
    client = login(world.bob)
    url = reverse("cadres:cadre_list")
    listed = client.get(url, {"term": term.pk, "position": "nonsense"})  # a bad filter does not lose the term
    assert listed.context["term"] == term
    assert [row.record.full_name for row in listed.context["table"].paginated_rows] == ["Cán bộ Khóa Cũ"]
    current = client.get(url)
    assert current.context["term"] == current_term()
    if current_term() != term:
        assert not current.context["table"].paginated_rows
