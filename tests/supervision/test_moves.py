"""A supervision or a dialogue moved to another unit takes its recommendations, commitments and files along."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from supervision import services
from supervision.models import Attachment, Recommendation
from tests.supervision import factories as work
from tests.supervision.test_services import PDF

pytestmark = pytest.mark.django_db


def _supervision_with_children(world):
    record = work.supervision(world.commune_a1, world.bob)
    recommendation = work.recommendation(of=record, actor=world.bob)
    follow_up = services.follow_up_add(
        actor=world.bob, recommendation=recommendation, happened_on=recommendation.made_on, note="Đã trả lời"
    )
    files = [
        services.attachment_add(actor=world.bob, owner=record, upload=SimpleUploadedFile("bien-ban.pdf", PDF)),
        services.attachment_add(actor=world.bob, owner=follow_up, upload=SimpleUploadedFile("tra-loi.pdf", PDF)),
    ]
    return record, recommendation, files


def test_a_moved_supervision_takes_its_recommendations_and_files(world, login):
    record, recommendation, files = _supervision_with_children(world)
    services.supervision_save(actor=world.bob, supervision=record, unit=world.commune_a2)
    assert Recommendation.objects.get(pk=recommendation.pk).unit == world.commune_a2
    assert set(Attachment.objects.filter(pk__in=[f.pk for f in files]).values_list("unit", flat=True)) == {
        world.commune_a2.pk
    }
    # Alice works in commune A1: none of it is hers any more.
    alice = login(world.alice)
    assert alice.get(reverse("supervision:recommendation_detail", args=[recommendation.pk])).status_code == 404
    assert alice.get(reverse("supervision:attachment", args=[files[0].pk])).status_code == 404


def test_a_moved_dialogue_takes_its_commitments_and_files(world):
    forum = work.dialogue(
        world.commune_a1, world.bob,
        opinions=[work.opinion(outcome="committed", addressee="UBND xã", due_on=work.DAY)],
    )  # fmt: skip
    attachment = services.attachment_add(actor=world.bob, owner=forum, upload=SimpleUploadedFile("a.pdf", PDF))
    services.dialogue_save(
        actor=world.bob, dialogue=forum, opinions=[
            services.OpinionData(id=o.pk, field=o.field, content=o.content, outcome=o.outcome,
                                 addressee="UBND xã", due_on=work.DAY)
            for o in forum.opinions.all()
        ], unit=world.commune_a2,
    )  # fmt: skip
    assert Recommendation.objects.get(opinion__dialogue=forum).unit == world.commune_a2
    assert Attachment.objects.get(pk=attachment.pk).unit == world.commune_a2


def test_a_long_file_name_keeps_its_extension(world):
    record = work.supervision(world.commune_a1, world.bob)
    name = "Biên bản giám sát " * 20 + ".pdf"
    attachment = services.attachment_add(actor=world.bob, owner=record, upload=SimpleUploadedFile(name, PDF))
    assert len(attachment.name) <= 200 and attachment.name.endswith(".pdf")
    assert attachment.file.name.endswith(".pdf")
