"""Signing freezes a report: a late import changes the live figures and not the signed copy, the signed copy
lists each difference with what recorded it, a correction is a new version, and nobody edits a signed copy."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from members import services as member_services
from reports import services
from reports.models import SignedReport
from reports.selectors import annual
from reports.selectors.figures import differences, figures_of
from tests.factories import MemberFactory

SPAN = annual.Span.year(2024)


@pytest.fixture
def signed(world):
    for n in range(3):
        MemberFactory(branch=world.branch_a1, joined_on=datetime.date(2020, 1, 1 + n))
    return services.report_sign(actor=world.bob, unit=world.district_a, span=SPAN, number="15/BC-HPN")


def _late_import(world, n=2):
    rows = [
        {
            "full_name": f"Nguyễn Thị Muộn {i}", "birth_year": 1990, "date_of_birth": None, "ethnicity": "Kinh",
            "id_number": f"0241900{i:05d}", "joined_on": datetime.date(2024, 5, 1), "branch": world.branch_a2,
        }
        for i in range(n)
    ]  # fmt: skip
    member_services.members_bulk_create(rows=rows, actor=world.bob, note="Imported from ds_muon.xlsx (import no. 9)")


def test_a_late_import_changes_the_live_report_and_not_the_signed_copy(world, signed, login):
    assert signed.version == 1 and signed.figures["figures"]["members.total"] == 3
    # The PDF that is sent carries the number in its heading.
    pdf = PdfReader(io.BytesIO(signed.document.file.read()))
    assert "15/BC-HPN" in pdf.pages[0].extract_text()
    _late_import(world)
    live = figures_of(world.district_a, SPAN)
    assert live["figures"]["members.total"] == 5
    signed.refresh_from_db()
    assert signed.figures["figures"]["members.total"] == 3
    changed = {(d["unit"], d["key"]): (d["signed"], d["now"]) for d in differences(signed.figures, live)}
    assert changed[("Huyện Tân An", "members.total")] == (3, 5)
    assert changed[("Huyện Tân An", "members.new")] == (0, 2)
    assert changed[(world.commune_a2.name, "members.total")][1] == 2  # the line had no members: no figure

    page = login(world.bob).get(reverse("reports:signed_detail", args=[signed.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "15/BC-HPN" in text
    assert 'data-key="members.total"' in text and "ds_muon.xlsx" in text  # the difference and its cause


def test_a_correction_is_a_new_version_and_the_old_one_stays(world, signed):
    _late_import(world)
    with pytest.raises(ValidationError):  # a correction says why
        services.report_sign(actor=world.bob, unit=world.district_a, span=SPAN, number="16/BC-HPN")
    with pytest.raises(ValidationError):  # a number is used once
        services.report_sign(actor=world.bob, unit=world.district_a, span=SPAN, number="15/BC-HPN", note="x")
    corrected = services.report_sign(
        actor=world.bob, unit=world.district_a, span=SPAN, number="16/BC-HPN", note="Danh sách bổ sung của xã"
    )
    signed.refresh_from_db()
    assert (corrected.version, signed.replaced_by) == (2, corrected)
    assert (signed.figures["figures"]["members.total"], corrected.figures["figures"]["members.total"]) == (3, 5)
    assert differences(corrected.figures, figures_of(world.district_a, SPAN)) == []


def test_nobody_edits_a_signed_copy(world, signed):
    signed.figures["figures"]["members.total"] = 99
    with pytest.raises(ValueError):
        signed.save()
    signed.refresh_from_db()
    signed.number = "99/BC"
    with pytest.raises(ValueError):
        signed.save()
    assert SignedReport.objects.get(pk=signed.pk).figures["figures"]["members.total"] == 3


def test_signing_and_signed_copies_are_scoped(world, signed, login):
    with pytest.raises(ValidationError):  # alice enters data for a commune: she does not sign for the district
        services.report_sign(actor=world.alice, unit=world.district_a, span=SPAN, number="1/BC")
    url = reverse("reports:signed_detail", args=[signed.pk])
    assert login(world.charlie).get(url).status_code == 404
    sign = reverse("reports:sign") + f"?unit={world.district_a.pk}&span={SPAN.key}"
    assert login(world.charlie).post(sign, {"number": "2/BC"}).status_code == 404
    assert SignedReport.objects.count() == 1
    bob = login(world.bob)
    assert bob.get(url).status_code == 200
    response = bob.post(sign, {"number": "", "note": ""})
    assert response.status_code == 302 and SignedReport.objects.count() == 1  # refused with a message
    page = bob.get(reverse("reports:annual"), {"unit": world.district_a.pk, "span": SPAN.key})
    assert "15/BC-HPN" in page.content.decode()
