import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from supervision import services
from supervision.constants import ATTACHMENT_MAX_BYTES, OpinionOutcome, RecommendationStatus, Source
from supervision.models import Attachment, FollowUp, Opinion, Recommendation
from tests.supervision import factories

DAY = factories.DAY
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _later(days):
    return DAY + datetime.timedelta(days=days)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_recommendation_walks_sent_accepted_in_progress_resolved(world):
    rec = factories.recommendation(world.commune_a1, world.alice)
    assert rec.status == RecommendationStatus.SENT and rec.source == Source.SUPERVISION

    services.follow_up_add(actor=world.alice, recommendation=rec, happened_on=_later(5), note="", status="accepted")
    services.follow_up_add(
        actor=world.alice, recommendation=rec, happened_on=_later(9), note="Đã lập kế hoạch", status="in_progress"
    )
    services.follow_up_add(
        actor=world.alice, recommendation=rec, happened_on=_later(20), note="Đã bố trí kinh phí", status="resolved"
    )
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.RESOLVED
    assert rec.accepted_on == _later(5)
    assert rec.closed_on == _later(20)
    assert [(f.status_from, f.status_to) for f in rec.follow_ups.all()] == [
        ("sent", "accepted"),
        ("accepted", "in_progress"),
        ("in_progress", "resolved"),
    ]


def test_resolving_needs_a_note(world):
    rec = factories.recommendation(world.commune_a1, world.alice)
    with pytest.raises(ValidationError) as error:
        services.follow_up_add(
            actor=world.alice, recommendation=rec, happened_on=_later(3), note="  ", status="resolved"
        )
    assert "note" in error.value.message_dict
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.SENT and rec.closed_on is None
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        (["accepted", "in_progress"], "accepted"),
        (["not_accepted"], "accepted"),
        (["accepted", "resolved"], "in_progress"),
        (["in_progress"], "sent"),
    ],
)
def test_moves_outside_the_state_machine_are_refused(world, path, refused):
    rec = factories.recommendation(world.commune_a1, world.alice)
    for n, status in enumerate(path, start=1):
        services.follow_up_add(
            actor=world.alice, recommendation=rec, happened_on=_later(n), note="ghi chú", status=status
        )
    with pytest.raises(ValidationError):
        services.follow_up_add(actor=world.alice, recommendation=rec, happened_on=_later(9), note="x", status=refused)
    assert FollowUp.objects.count() == len(path)


def test_a_closed_recommendation_takes_no_more_entries(world):
    rec = factories.recommendation(world.commune_a1, world.alice)
    services.follow_up_add(
        actor=world.alice, recommendation=rec, happened_on=_later(2), note="Không có kinh phí", status="not_accepted"
    )
    with pytest.raises(ValidationError):
        services.follow_up_add(actor=world.alice, recommendation=rec, happened_on=_later(3), note="Nhắc lại")


def test_follow_up_dates_cannot_go_back_or_into_the_future(world):
    rec = factories.recommendation(world.commune_a1, world.alice)
    services.follow_up_add(actor=world.alice, recommendation=rec, happened_on=_later(10), note="Đã gửi công văn")
    with pytest.raises(ValidationError) as error:
        services.follow_up_add(actor=world.alice, recommendation=rec, happened_on=_later(5), note="Sớm hơn")
    assert "happened_on" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.follow_up_add(
            actor=world.alice, recommendation=rec, happened_on=datetime.date.today() + datetime.timedelta(2), note="x"
        )


def test_overdue_is_computed_as_of_any_date(world):
    rec = factories.recommendation(world.commune_a1, world.alice, made_on=datetime.date(2024, 1, 1), due_days=60)
    services.follow_up_add(
        actor=world.alice,
        recommendation=rec,
        happened_on=datetime.date(2024, 5, 1),
        note="Đã khắc phục",
        status="resolved",
    )
    overdue = Recommendation.objects.overdue_on
    assert not overdue(datetime.date(2024, 2, 1)).exists()  # not yet due
    assert not overdue(datetime.date(2024, 3, 1)).exists()  # due that day: not late yet
    assert overdue(datetime.date(2024, 3, 2)).filter(pk=rec.pk).exists()
    assert overdue(datetime.date(2024, 4, 30)).filter(pk=rec.pk).exists()
    assert not overdue(datetime.date(2024, 5, 1)).exists()  # resolved that day
    assert not overdue(datetime.date(2023, 12, 31)).exists()  # not made yet
    rec.refresh_from_db()
    assert not rec.is_overdue(datetime.date(2025, 1, 1))


def test_due_date_before_made_is_refused(world):
    with pytest.raises(ValidationError):
        factories.recommendation(world.commune_a1, world.alice, due_days=-1)


def test_writes_outside_ones_units_are_refused(world):
    with pytest.raises(ValidationError):
        factories.supervision(world.commune_b1, world.alice)
    supervision = factories.supervision(world.commune_b1, world.charlie)
    with pytest.raises(ValidationError):
        services.recommendation_create(
            actor=world.alice, supervision=supervision, addressee="X", content="Y", made_on=DAY, due_on=_later(9)
        )
    rec = factories.recommendation(world.commune_b1, world.charlie)
    with pytest.raises(ValidationError):
        services.follow_up_add(actor=world.alice, recommendation=rec, happened_on=_later(1), note="x")


def test_a_dialogue_commitment_is_followed_up_and_decides_the_opinion_outcome(world):
    dialogue = factories.dialogue(
        world.commune_a1,
        world.alice,
        opinions=[
            factories.opinion("land", "answered"),
            factories.opinion("labour", "committed", addressee="Chủ tịch UBND xã", due_on=_later(60)),
        ],
    )
    assert dialogue.level == "commune"
    committed = dialogue.opinions.get(field="labour")
    rec = committed.commitment
    assert (rec.source, rec.addressee, rec.made_on, rec.due_on) == (
        Source.DIALOGUE,
        "Chủ tịch UBND xã",
        DAY,
        _later(60),
    )
    services.follow_up_add(
        actor=world.alice, recommendation=rec, happened_on=_later(30), note="Đã mở lớp nghề may", status="resolved"
    )
    committed.refresh_from_db()
    assert committed.outcome == OpinionOutcome.RESOLVED


def test_a_commitment_needs_who_and_when(world):
    with pytest.raises(ValidationError):
        factories.dialogue(world.commune_a1, world.alice, opinions=[factories.opinion("land", "committed")])
    assert not Opinion.objects.exists()  # nothing half-written


def test_editing_a_dialogue_keeps_followed_up_commitments(world):
    dialogue = factories.dialogue(
        world.commune_a1,
        world.alice,
        opinions=[factories.opinion("land", "committed", addressee="UBND xã", due_on=_later(30))],
    )
    opinion = dialogue.opinions.get()
    services.follow_up_add(actor=world.alice, recommendation=opinion.commitment, happened_on=_later(3), note="Đã nhắc")
    with pytest.raises(ValidationError):
        services.dialogue_save(actor=world.alice, dialogue=dialogue, opinions=[])
    assert Opinion.objects.filter(pk=opinion.pk).exists()
    # Answering it on the spot instead would drop a commitment that has a history: refused too.
    changed = factories.opinion("land", "answered", id=opinion.pk)
    with pytest.raises(ValidationError):
        services.dialogue_save(actor=world.alice, dialogue=dialogue, opinions=[changed])


def test_editing_a_dialogue_updates_adds_and_removes_opinions(world):
    dialogue = factories.dialogue(
        world.commune_a1,
        world.alice,
        opinions=[factories.opinion("land"), factories.opinion("labour", "committed", addressee="X", due_on=_later(9))],
    )
    land, labour = dialogue.opinions.order_by("position")
    services.dialogue_save(
        actor=world.alice,
        dialogue=dialogue,
        opinions=[factories.opinion("food_safety", id=land.pk, content="Sửa lại"), factories.opinion("other")],
    )
    assert [(o.field, o.content) for o in dialogue.opinions.order_by("position")] == [
        ("food_safety", "Sửa lại"),
        ("other", "Ý kiến về other"),
    ]
    assert not Recommendation.objects.filter(opinion_id=labour.pk).exists()


def test_attachments_are_checked_for_type_size_and_content(world, media):
    supervision = factories.supervision(world.commune_a1, world.alice)
    good = services.attachment_add(actor=world.alice, owner=supervision, upload=SimpleUploadedFile("bien-ban.pdf", PDF))
    assert good.content_type == "application/pdf" and good.size == len(PDF)
    assert (media / good.file.name).read_bytes() == PDF

    refused = [
        SimpleUploadedFile("virus.exe", b"MZ\x90\x00"),
        SimpleUploadedFile("bien-ban.pdf", b"<html>not a pdf</html>"),
        SimpleUploadedFile("anh.png", b"\xff\xd8\xff\xe0 a jpeg named png"),
        SimpleUploadedFile("lon.pdf", PDF + b"0" * ATTACHMENT_MAX_BYTES),
    ]
    for upload in refused:
        with pytest.raises(ValidationError):
            services.attachment_add(actor=world.alice, owner=supervision, upload=upload)
    assert Attachment.objects.count() == 1
    assert len(list(media.rglob("*.*"))) == 1

    with pytest.raises(ValidationError):
        services.attachment_add(actor=world.charlie, owner=supervision, upload=SimpleUploadedFile("b.pdf", PDF))


def test_evidence_with_a_follow_up_is_all_or_nothing(world, media):
    rec = factories.recommendation(world.commune_a1, world.alice)
    with pytest.raises(ValidationError):
        services.follow_up_add(
            actor=world.alice,
            recommendation=rec,
            happened_on=_later(4),
            note="Đã khắc phục",
            status="resolved",
            evidence=SimpleUploadedFile("anh.jpg", b"not an image"),
        )
    rec.refresh_from_db()
    assert rec.status == "sent" and not FollowUp.objects.exists()
    entry = services.follow_up_add(
        actor=world.alice,
        recommendation=rec,
        happened_on=_later(4),
        note="Đã khắc phục",
        status="resolved",
        evidence=SimpleUploadedFile("bien-ban.pdf", PDF),
    )
    assert entry.attachments.get().unit == world.commune_a1


def test_deleting_a_supervision_with_follow_up_history_is_refused(world):
    rec = factories.recommendation(world.commune_a1, world.alice)
    services.follow_up_add(actor=world.alice, recommendation=rec, happened_on=_later(1), note="Đã gửi")
    with pytest.raises(ValidationError):
        services.record_delete(actor=world.alice, record=rec.supervision)
    fresh = factories.supervision(world.commune_a1, world.alice)
    services.record_delete(actor=world.alice, record=fresh)
    assert not type(fresh).objects.filter(pk=fresh.pk).exists()
