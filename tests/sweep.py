"""What the sweeps share: every URL pattern of the project, and one of every record in district A."""

import datetime
import decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from cadres import services as cadre_services
from cadres.models import Term
from imports import services as import_services
from members import services as member_services
from reports import services as report_services
from reports.models import Indicator, ReportingPeriod
from reports.selectors import annual
from supervision import services as work_services
from tests.factories import BranchFactory, CommuneFactory, MemberFactory
from tests.programmes import factories as programme_records
from tests.supervision import factories as work
from tests.supervision.test_services import PDF

PROGRAMMES = ["group", "credit", "award", "task", "contest", "charity", "house", "child"]
MARKER = "Zxqmarker"
DAY = datetime.date(2024, 3, 1)
SKIPPED = {"login", "logout", "password_change", "home"}  # the user's own pages
# URL name -> which of A's records each int argument names (in order).
OWNED = {
    "branches:unit_detail": ["commune"], "branches:unit_rename": ["commune"], "branches:unit_move": ["commune"],
    "branches:unit_merge": ["commune"], "branches:unit_add_child": ["commune"],
    "branches:unit_population": ["commune"],
    "accounts:user_detail": ["user"], "accounts:user_password": ["user"], "accounts:user_toggle_active": ["user"],
    "accounts:role_revoke": ["user", "role"],
    "members:member_detail": ["member"], "members:member_edit": ["member"], "members:member_transfer": ["member"],
    "members:member_transfer_out": ["member"], "members:member_leave": ["member"],
    "members:member_rejoin": ["member"], "members:transfer_decide": ["transfer"],
    "members:member_data": ["member"], "members:member_anonymise": ["member"],
    "members:merge_decide": ["merge"],
    "imports:import_detail": ["job"], "imports:import_progress": ["job"], "imports:import_mapping": ["job"],
    "imports:import_commit": ["job"], "imports:import_cancel": ["job"], "imports:import_rejected": ["job"],
    "supervision:supervision_detail": ["supervision"], "supervision:supervision_edit": ["supervision"],
    "supervision:supervision_delete": ["supervision"], "supervision:recommendation_create": ["supervision"],
    "supervision:supervision_attach": ["supervision"], "supervision:recommendation_detail": ["recommendation"],
    "supervision:recommendation_edit": ["recommendation"], "supervision:dialogue_detail": ["dialogue"],
    "supervision:dialogue_edit": ["dialogue"], "supervision:dialogue_delete": ["dialogue"],
    "supervision:dialogue_attach": ["dialogue"], "supervision:review_edit": ["review"],
    "supervision:review_delete": ["review"], "supervision:contribution_edit": ["contribution"],
    "supervision:contribution_delete": ["contribution"], "supervision:case_edit": ["case"],
    "supervision:case_delete": ["case"], "supervision:attachment": ["attachment"],
    "supervision:attachment_delete": ["attachment"],
    "reports:report_detail": ["period", "commune"], "reports:report_decide": ["report"],
    "reports:target_delete": ["target"], "reports:document_detail": ["document"],
    "reports:document_progress": ["document"], "reports:document_download": ["document"],
    "reports:signed_detail": ["signed"],
    "cadres:cadre_edit": ["cadre"],
    **{f"programmes:{key}_{view}": [key] for key in PROGRAMMES for view in ("edit", "delete")},
    # Not owned by a unit: the province's catalogue, readable by all, written by the province office only.
    "reports:indicator_edit": ["indicator"],
}  # fmt: skip
WORDS = ["approve", "return", "unlock", "accept", "refuse", "cancel"]


def patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith("admin"):
                continue
            space = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from patterns(entry, prefix + str(entry.pattern), space)
        elif isinstance(entry, URLPattern) and entry.name not in SKIPPED:
            yield f"{namespace}{entry.name}", prefix + str(entry.pattern)


def fill(route: str, values: list) -> str:
    parts, index = [], 0
    for piece in route.replace(">", "<").split("<"):
        if ":" in piece and piece.split(":")[0] in ("int", "str", "slug"):
            parts.append(str(values[index]))
            index += 1
        else:
            parts.append(piece)
    return "/" + "".join(parts)


def arity(route: str) -> list[str]:
    return [piece.split(":")[0] for piece in route.replace(">", "<").split("<") if ":" in piece]


def records_in_district_a(world) -> dict:
    """One of every record in district A, each carrying the marker."""
    commune = CommuneFactory(parent=world.district_a, name=f"Xã {MARKER}")
    branch = BranchFactory(parent=commune, name=f"Chi hội {MARKER}")
    member = MemberFactory(branch=branch, full_name=f"Nguyễn Thị {MARKER}", phone="0912345678")
    # Requests between alice's commune and its sibling: both ends in district A, and in no marker unit
    # (alice rightly sees where she sent a member).
    mover = MemberFactory(branch=world.branch_a1, full_name="Trần Thị Chuyển")
    twin = MemberFactory(branch=world.branch_a1, full_name="Nguyễn Thị Trùng", phone="0912345679")
    other = MemberFactory(branch=world.branch_a2, full_name="Nguyễn Thị Trùng", phone="0912345679")
    transfer = member_services.member_transfer(
        member=mover, to_branch=world.branch_a2, transfer_on=datetime.date.today(), actor=world.alice
    )
    merge = member_services.member_merge(first=other, second=twin, actor=world.alice)
    supervision = work.supervision(commune, world.bob, topic=f"Giám sát {MARKER}")
    recommendation = work.recommendation(of=supervision, actor=world.bob, content=f"Kiến nghị {MARKER}")
    dialogue = work.dialogue(commune, world.bob, topic=f"Đối thoại {MARKER}", opinions=[work.opinion(content=MARKER)])
    attachment = work_services.attachment_add(
        actor=world.bob, owner=supervision, upload=SimpleUploadedFile(f"{MARKER}.pdf", PDF)
    )
    review = work_services.draft_review_save(
        actor=world.bob, unit=commune, kind="critique", document=f"Dự thảo {MARKER}", requested_by="UBND",
        received_on=DAY,
    )  # fmt: skip
    contribution = work_services.contribution_save(
        actor=world.bob, unit=commune, kind="cadres", given_on=DAY, topic=f"Góp ý {MARKER}"
    )
    case = work_services.case_save(
        actor=world.bob, unit=commune, kind="mediation", received_on=DAY, subject=f"Hòa giải {MARKER}"
    )
    cadre = cadre_services.cadre_save(
        actor=world.bob, unit=commune, term=Term.objects.first(), full_name=f"Lê Thị {MARKER}", position="chair"
    )
    period = ReportingPeriod.objects.create(
        kind="year", year=2024, start=DAY, end=datetime.date(2024, 12, 31), deadline=datetime.date(2025, 1, 10)
    )
    report = report_services.report_for(commune, period)
    report_services.report_save(actor=world.bob, report=report, values={}, note=f"Giải trình {MARKER}")
    target = report_services.target_save(
        actor=world.bob, unit=commune, span="year", year=2024, metric="new_members", value=decimal.Decimal(5)
    )
    span = annual.Span.year(2024)
    built = annual.build(commune, span)
    report_services.narrative_save(actor=world.bob, unit=commune, report=built, text=f"{MARKER} [[members.total]]")
    document = report_services.document_request(actor=world.bob, unit=commune, span=span, fmt="xlsx")
    signed = report_services.report_sign(actor=world.bob, unit=commune, span=span, number=f"{MARKER}/BC")
    job = import_services.job_create(
        upload=SimpleUploadedFile(f"{MARKER}.csv", f"Họ và tên,Năm sinh\nTrần Thị {MARKER},1980\n".encode()),
        commune=commune, branch=branch, create_branches=False, actor=world.bob,
    )  # fmt: skip
    from accounts.models import Role

    role = Role.objects.get(user=world.alice)
    return {
        "commune": commune, "member": member, "transfer": transfer, "merge": merge, "supervision": supervision,
        "recommendation": recommendation, "dialogue": dialogue, "attachment": attachment, "review": review,
        "contribution": contribution, "case": case, "cadre": cadre, "period": period, "report": report,
        "target": target, "document": document, "signed": signed, "job": job, "user": world.alice, "role": role,
        "indicator": Indicator.objects.first(),
        **programme_records.one_of_each(commune, world.bob, MARKER),
    }  # fmt: skip
