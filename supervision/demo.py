"""Demo supervision, dialogue and case work for the demo province, at the scale of the public reports.

From 2019 to today: dozens of supervisions per district a year with their
recommendations in every state, about 70 dialogue forums a year with ten
opinions each, draft reviews, opinions to the Party and authorities, about 120
petitions and 840 mediations. Written in bulk (these are not user actions, so
there is no audit trail to keep), with every state the services could reach.
"""

import datetime
import math
import random

from django.db import transaction
from django.utils import timezone

from branches.constants import Level
from branches.models import Unit
from branches.records import with_provinces

from .constants import (
    CaseKind,
    CaseStatus,
    ContributionKind,
    OpinionField,
    OpinionOutcome,
    RecommendationStatus,
    ReviewKind,
    Source,
    SupervisionKind,
    SupervisionRole,
    TakenUp,
    Victim,
)
from .models import Case, Contribution, Dialogue, DraftReview, FollowUp, Opinion, Recommendation, Supervision

START = datetime.date(2019, 1, 1)

TOPICS = [
    ("Thực hiện Luật Phòng, chống bạo lực gia đình", "Luật Phòng, chống bạo lực gia đình năm 2022"),
    ("Thực hiện Luật Bình đẳng giới", "Luật Bình đẳng giới năm 2006"),
    ("Chính sách bảo hiểm y tế cho hộ cận nghèo", "Luật Bảo hiểm y tế; Nghị định 146/2018/NĐ-CP"),
    ("Thực hiện Đề án hỗ trợ phụ nữ khởi nghiệp", "Quyết định 939/QĐ-TTg của Thủ tướng Chính phủ"),
    ("Chế độ, chính sách đối với lao động nữ tại doanh nghiệp", "Bộ luật Lao động năm 2019, Chương X"),
    ("Thực hiện Luật Trẻ em", "Luật Trẻ em năm 2016"),
    ("An toàn thực phẩm tại bếp ăn trường mầm non", "Luật An toàn thực phẩm năm 2010"),
    ("Bảo đảm cho các cấp Hội tham gia quản lý nhà nước", "Nghị định 56/2012/NĐ-CP"),
    ("Chính sách hỗ trợ phụ nữ sinh con đúng chính sách dân số", "Nghị định 39/2015/NĐ-CP"),
    ("Thực hiện tiêu chí về môi trường trong xây dựng nông thôn mới", "Quyết định 318/QĐ-TTg"),
    ("Cho vay vốn ưu đãi hộ nghèo qua Hội phụ nữ", "Nghị định 78/2002/NĐ-CP về tín dụng chính sách"),
]
BODIES = [
    "UBND xã {c}", "Trạm Y tế xã {c}", "Trường Mầm non {c}", "Phòng Lao động - Thương binh và Xã hội huyện",
    "Công an xã {c}", "Phòng Giáo dục và Đào tạo huyện", "Công ty TNHH May {c}", "Ngân hàng Chính sách xã hội huyện",
]  # fmt: skip
ADDRESSEES = [
    "UBND xã {c}", "UBND huyện", "Phòng Lao động - TB&XH huyện", "Trạm Y tế xã {c}", "Phòng Giáo dục và Đào tạo",
    "Công an xã {c}", "Phòng Tài nguyên và Môi trường", "Ngân hàng CSXH huyện", "Ban Giám đốc Công ty May {c}",
]  # fmt: skip
RECOMMENDATIONS = [
    "Bố trí kinh phí cho hoạt động phòng, chống bạo lực gia đình ở thôn, tổ dân phố.",
    "Công khai danh sách hộ cận nghèo được hỗ trợ mua thẻ bảo hiểm y tế.",
    "Kiểm tra, xử lý cơ sở kinh doanh thực phẩm không bảo đảm vệ sinh gần trường học.",
    "Bảo đảm chế độ thai sản, nghỉ giữa ca cho lao động nữ theo quy định.",
    "Mời đại diện Hội phụ nữ tham dự các cuộc họp có nội dung liên quan đến phụ nữ, trẻ em.",
    "Bổ sung nhà vệ sinh, nước sạch tại điểm trường lẻ.",
    "Rà soát, giải quyết dứt điểm hồ sơ hỗ trợ phụ nữ sinh con còn tồn đọng.",
    "Thành lập, duy trì địa chỉ tin cậy tại cộng đồng.",
]
FINDINGS = [
    "Cơ bản thực hiện đúng quy định; còn chậm chi trả một số chế độ.",
    "Tuyên truyền chưa thường xuyên; hồ sơ lưu trữ chưa đầy đủ.",
    "Thực hiện tốt; cần nhân rộng mô hình ở các thôn khác.",
    "Còn một số trường hợp chưa được hưởng chính sách do thiếu giấy tờ.",
]
LEADERS = [
    "Bí thư Đảng ủy xã", "Chủ tịch UBND xã", "Phó Chủ tịch UBND xã", "Chủ tịch UB MTTQ xã", "Trưởng Công an xã",
]  # fmt: skip
DISTRICT_LEADERS = ["Bí thư Huyện ủy", "Chủ tịch UBND huyện", "Phó Chủ tịch UBND huyện", "Trưởng phòng LĐ-TB&XH huyện"]
PEOPLE = "Nguyễn Văn An;Trần Thị Hà;Lê Văn Bình;Phạm Thị Thu;Hoàng Văn Nam;Vũ Thị Lan;Đỗ Văn Hùng;Bùi Thị Mai".split(
    ";"
)
OPINIONS = {
    OpinionField.LAND: [
        "Đề nghị cấp giấy chứng nhận quyền sử dụng đất đứng tên cả vợ và chồng.",
        "Việc đền bù giải phóng mặt bằng đường liên xã còn chậm.",
    ],
    OpinionField.LABOUR: [
        "Đề nghị mở lớp dạy nghề may công nghiệp cho phụ nữ trung niên.",
        "Lao động nữ lớn tuổi khó tìm việc ở khu công nghiệp.",
    ],
    OpinionField.ENVIRONMENT: [
        "Rác thải ở bãi tập kết đầu thôn chưa được thu gom kịp thời.",
        "Khói từ lò gạch thủ công ảnh hưởng đến sức khỏe người dân.",
    ],
    OpinionField.DOMESTIC_VIOLENCE: [
        "Cần xử lý nghiêm các trường hợp bạo lực gia đình tái diễn.",
        "Đề nghị duy trì nhà tạm lánh cho phụ nữ bị bạo lực.",
    ],
    OpinionField.CHILD_ABUSE: [
        "Đề nghị lắp camera và đèn chiếu sáng đoạn đường học sinh đi học.",
        "Cần tuyên truyền kỹ năng phòng, chống xâm hại cho trẻ em.",
    ],
    OpinionField.FOOD_SAFETY: [
        "Thực phẩm bán ở cổng trường không rõ nguồn gốc.",
        "Đề nghị kiểm tra các lò giết mổ nhỏ lẻ.",
    ],
    OpinionField.SOCIAL_ORDER: [
        "Tình trạng cho vay nặng lãi qua mạng ở địa bàn.",
        "Thanh thiếu niên tụ tập đua xe vào ban đêm.",
    ],
    OpinionField.CADRE_POLICY: [
        "Phụ cấp chi hội trưởng còn thấp so với khối lượng công việc.",
        "Đề nghị hỗ trợ kinh phí hoạt động cho chi hội.",
    ],
    OpinionField.GENDER_EQUALITY: [
        "Tỷ lệ nữ trong cấp ủy, chính quyền xã còn thấp.",
        "Đề nghị quan tâm quy hoạch, đào tạo cán bộ nữ trẻ.",
    ],
    OpinionField.SITE_CLEARANCE: [
        "Đề nghị công khai phương án bồi thường, giải phóng mặt bằng dự án đường liên xã.",
        "Tiến độ chi trả tiền bồi thường còn chậm.",
    ],
    OpinionField.AGRICULTURE: [
        "Đề nghị hỗ trợ giống, phân bón cho hộ phụ nữ nghèo.",
        "Cần tìm đầu ra ổn định cho nông sản của tổ hợp tác.",
    ],
    OpinionField.OTHER: ["Đề nghị nâng cấp nhà văn hóa thôn.", "Cần thêm điểm khám sàng lọc ung thư cho phụ nữ."],
}
DRAFTS = [
    "Dự thảo Nghị quyết của HĐND về chính sách hỗ trợ phát triển kinh tế tập thể",
    "Dự thảo Kế hoạch thực hiện Chiến lược quốc gia về bình đẳng giới",
    "Dự thảo Quy định về tiêu chí xã nông thôn mới nâng cao",
    "Dự thảo Luật Đất đai (sửa đổi)",
    "Dự thảo Đề án sáp nhập đơn vị hành chính cấp xã",
    "Dự thảo Kế hoạch phòng, chống xâm hại trẻ em",
]
CASES = {
    CaseKind.PETITION: [
        "Đơn đề nghị giải quyết tranh chấp đất đai trong gia đình",
        "Đơn phản ánh việc chia tài sản sau ly hôn",
    ],
    CaseKind.MEDIATION: [
        "Hòa giải mâu thuẫn vợ chồng",
        "Hòa giải tranh chấp lối đi giữa hai hộ",
        "Hòa giải mâu thuẫn mẹ chồng - nàng dâu",
    ],
    CaseKind.ABUSE: ["Hỗ trợ phụ nữ bị chồng bạo hành", "Hỗ trợ trẻ em bị xâm hại"],
    CaseKind.POLICY: ["Đề xuất hỗ trợ phụ nữ nghèo khởi nghiệp", "Đề xuất chính sách cho chi hội trưởng"],
}


def _day(rng, start, end):
    return start + datetime.timedelta(days=rng.randint(0, max((end - start).days, 0)))


def _recommendation_story(rng, made_on, due_on, today):
    """A plausible life for a recommendation made on ``made_on``: its status, dates and follow-up entries.

    The older it is, the likelier it is closed, with a tail of old ones still open:
    the follow-up the reports call the weakest part of the work.
    """
    moves = []  # (date, from, to, note)
    age = (today - made_on).days
    if age < 15:
        return RecommendationStatus.SENT, None, None, moves
    still_open = rng.random() < 0.9 * math.exp(-age / 200) + 0.04
    accepted_on = min(made_on + datetime.timedelta(days=rng.randint(5, 30)), today)
    if still_open and rng.random() < 0.3:
        return RecommendationStatus.SENT, None, None, moves
    if not still_open and rng.random() < 0.12:
        moves.append(
            (accepted_on, "sent", "not_accepted", "Cơ quan được kiến nghị trả lời chưa có nguồn lực thực hiện.")
        )
        return RecommendationStatus.NOT_ACCEPTED, None, accepted_on, moves
    moves.append((accepted_on, "sent", "accepted", "Đã nhận được văn bản tiếp thu kiến nghị."))
    if still_open and rng.random() < 0.4:
        return RecommendationStatus.ACCEPTED, accepted_on, None, moves
    working_on = min(accepted_on + datetime.timedelta(days=rng.randint(10, 60)), today)
    moves.append((working_on, "accepted", "in_progress", "Đang triển khai, đã có kế hoạch thực hiện."))
    if still_open:
        return RecommendationStatus.IN_PROGRESS, accepted_on, None, moves
    late = rng.random() < 0.3
    closed_on = due_on + datetime.timedelta(days=rng.randint(1, 120)) if late else _day(rng, working_on, due_on)
    closed_on = min(max(closed_on, working_on), today)
    moves.append((closed_on, "in_progress", "resolved", "Đã khắc phục; kiểm tra lại thấy thực hiện đúng kiến nghị."))
    return RecommendationStatus.RESOLVED, accepted_on, closed_on, moves


@transaction.atomic
def build_demo_supervision(province: Unit, seed: int = 2025) -> dict[str, int]:
    rng = random.Random(seed)
    today = timezone.localdate()
    units = list(Unit.objects.in_subtree(province).active().filter(level__in=[Level.DISTRICT, Level.COMMUNE]))
    districts = [u for u in units if u.level == Level.DISTRICT]
    communes = [u for u in units if u.level == Level.COMMUNE]
    if not communes:
        return {}
    short = {u.pk: u.name.split(" ", 1)[-1] for u in units}
    years = range(START.year, today.year + 1)

    def year_end(year):
        return min(datetime.date(year, 12, 31), today)

    # Supervisions: a few by the province and each district, one or two by each commune, every year.
    supervisions, targets = [], []
    for year in years:
        conductors = (
            [province] * 4
            + [d for d in districts for _ in range(4)]
            + [c for c in communes for _ in range(rng.choice((1, 1, 2)))]
        )
        for unit in conductors:
            topic, basis = rng.choice(TOPICS)
            started = _day(rng, datetime.date(year, 2, 1), year_end(year))
            commune = short[rng.choice(communes).pk] if unit.level != Level.COMMUNE else short[unit.pk]
            role = SupervisionRole.LEAD if rng.random() < 0.7 else SupervisionRole.PARTNER
            targets.append(commune)
            supervisions.append(
                Supervision(
                    unit=unit,
                    topic=topic,
                    legal_basis=basis,
                    kind=rng.choices(list(SupervisionKind), weights=(6, 3, 1))[0],
                    role=role,
                    partners="" if role == SupervisionRole.LEAD else "Ủy ban MTTQ, Hội Nông dân",
                    supervised_body=rng.choice(BODIES).format(c=commune),
                    started_on=started,
                    ended_on=min(started + datetime.timedelta(days=rng.randint(0, 5)), today),
                    delegation="Chủ tịch Hội LHPN, trưởng đoàn\nPhó Chủ tịch Hội LHPN\nỦy viên Ban Thường vụ",
                    findings=rng.choice(FINDINGS),
                )
            )
    Supervision.objects.bulk_create(with_provinces(supervisions), batch_size=1000)

    recommendations, stories = [], []
    for supervision, commune in zip(supervisions, targets, strict=True):
        for _ in range(rng.choice((1, 2, 2, 3, 4))):
            made_on = supervision.ended_on or supervision.started_on
            due_on = made_on + datetime.timedelta(days=rng.choice((30, 60, 90, 180)))
            status, accepted_on, closed_on, moves = _recommendation_story(rng, made_on, due_on, today)
            recommendations.append(
                Recommendation(
                    unit_id=supervision.unit_id,
                    source=Source.SUPERVISION,
                    supervision=supervision,
                    addressee=rng.choice(ADDRESSEES).format(c=commune),
                    content=rng.choice(RECOMMENDATIONS),
                    made_on=made_on,
                    due_on=due_on,
                    status=status,
                    accepted_on=accepted_on,
                    closed_on=closed_on,
                )
            )
            stories.append(moves)

    # Dialogue forums: one a year by the province, one or two by each district, some communes.
    dialogues, opinion_rows = [], []
    for year in years:
        hosts = (
            [province]
            + [d for d in districts for _ in range(rng.choice((1, 2)))]
            + rng.sample(communes, k=min(len(communes), 55))
        )
        for unit in hosts:
            held_on = _day(rng, datetime.date(year, 3, 1), year_end(year))
            leaders = DISTRICT_LEADERS if unit.level != Level.COMMUNE else LEADERS
            dialogue = Dialogue(
                unit=unit,
                level=unit.level,
                held_on=held_on,
                topic=rng.choice(
                    ["Đối thoại với phụ nữ về " + t for t in ("việc làm", "an toàn thực phẩm", "môi trường", "đất đai")]
                ),
                place=f"Hội trường {unit.name}",
                participants=rng.randint(60, 250),
                leaders="\n".join(f"{rng.choice(PEOPLE)}, {title}" for title in rng.sample(leaders, 2)),
            )
            dialogues.append(dialogue)
            for position in range(1, rng.randint(6, 14) + 1):
                field = rng.choices(list(OpinionField), weights=(10, 14, 10, 8, 5, 9, 8, 6, 6, 4, 7, 12))[0]
                # Answered on the spot, taken away to follow up, or refused there and then.
                outcome = rng.choices(
                    [OpinionOutcome.ANSWERED, OpinionOutcome.COMMITTED, OpinionOutcome.NOT_RESOLVED],
                    weights=(60, 34, 6),
                )[0]
                opinion_rows.append((dialogue, position, field, outcome))
    Dialogue.objects.bulk_create(with_provinces(dialogues), batch_size=1000)
    opinions = [
        Opinion(
            dialogue=dialogue,
            position=position,
            field=field,
            outcome=outcome,
            content=rng.choice(OPINIONS[field]),
            raised_by=rng.choice(PEOPLE) if rng.random() < 0.6 else "",
            answer="Lãnh đạo trả lời, giải thích chính sách tại hội nghị."
            if outcome != OpinionOutcome.NOT_RESOLVED
            else "",
        )
        for dialogue, position, field, outcome in opinion_rows
    ]
    Opinion.objects.bulk_create(opinions, batch_size=2000)
    for opinion in opinions:
        if opinion.outcome != OpinionOutcome.COMMITTED:
            continue
        dialogue = opinion.dialogue
        due_on = dialogue.held_on + datetime.timedelta(days=rng.choice((30, 60, 90)))
        status, accepted_on, closed_on, moves = _recommendation_story(rng, dialogue.held_on, due_on, today)
        # As follow_up_add does: a closed commitment decides its opinion's outcome.
        if status == RecommendationStatus.RESOLVED:
            opinion.outcome = OpinionOutcome.RESOLVED
        elif status == RecommendationStatus.NOT_ACCEPTED:
            opinion.outcome = OpinionOutcome.NOT_RESOLVED
        recommendations.append(
            Recommendation(
                unit_id=dialogue.unit_id,
                source=Source.DIALOGUE,
                opinion=opinion,
                addressee=dialogue.leaders.splitlines()[0].split(", ", 1)[-1],
                content=opinion.content,
                made_on=dialogue.held_on,
                due_on=due_on,
                status=status,
                accepted_on=accepted_on,
                closed_on=closed_on,
            )
        )
        stories.append(moves)
    Opinion.objects.bulk_update(opinions, ["outcome"], batch_size=2000)
    Recommendation.objects.bulk_create(with_provinces(recommendations), batch_size=2000)
    FollowUp.objects.bulk_create(
        [
            FollowUp(recommendation=r, happened_on=day, status_from=before, status_to=after, note=note)
            for r, moves in zip(recommendations, stories, strict=True)
            for day, before, after, note in moves
        ],
        batch_size=2000,
    )

    reviews, contributions, cases = [], [], []
    leaders_units = [province, *districts, *communes]
    for year in years:
        for unit in rng.sample(leaders_units, k=min(len(leaders_units), 90)):
            received = _day(rng, datetime.date(year, 1, 1), year_end(year))
            kind = ReviewKind.CRITIQUE if rng.random() < 0.16 else ReviewKind.COMMENT
            reviews.append(
                DraftReview(
                    unit=unit,
                    kind=kind,
                    document=rng.choice(DRAFTS),
                    requested_by="UBND "
                    + ("tỉnh" if unit.level == Level.PROVINCE else unit.name.split(" ", 1)[0].lower()),
                    received_on=received,
                    deadline=received + datetime.timedelta(days=15),
                    opinions=rng.randint(1, 12),
                    taken_up=rng.choices(list(TakenUp), weights=(2, 5, 3, 1))[0],
                )
            )
        for unit in rng.sample(leaders_units, k=min(len(leaders_units), 200)):
            kind = rng.choices(list(ContributionKind), weights=(63, 37))[0]
            contributions.append(
                Contribution(
                    unit=unit,
                    kind=kind,
                    given_on=_day(rng, datetime.date(year, 1, 1), year_end(year)),
                    topic="Góp ý dự thảo văn kiện Đại hội Đảng bộ"
                    if kind == ContributionKind.PARTY_GOVERNMENT
                    else "Góp ý nhân sự cấp ủy, đảng viên",
                    recipient="Đảng ủy, HĐND, UBND",
                    opinions=rng.randint(1, 8),
                )
            )
    per_year = {CaseKind.PETITION: 17, CaseKind.MEDIATION: 120, CaseKind.ABUSE: 9, CaseKind.POLICY: 3}
    for year in years:
        for kind, n in per_year.items():
            for _ in range(n):
                received = _day(rng, datetime.date(year, 1, 1), year_end(year))
                unit = rng.choice(communes) if kind != CaseKind.POLICY else rng.choice([province, *districts])
                settled = (today - received).days > 45 or rng.random() < 0.5
                status = (
                    (CaseStatus.SETTLED if rng.random() < 0.85 else CaseStatus.NOT_SETTLED)
                    if settled
                    else CaseStatus.OPEN
                )
                cases.append(
                    Case(
                        unit=unit,
                        kind=kind,
                        received_on=received,
                        subject=rng.choice(CASES[kind]),
                        victim=(Victim.CHILD if rng.random() < 0.4 else Victim.WOMAN) if kind == CaseKind.ABUSE else "",
                        status=status,
                        settled_on=min(received + datetime.timedelta(days=rng.randint(3, 40)), today)
                        if status != CaseStatus.OPEN
                        else None,
                    )
                )
    DraftReview.objects.bulk_create(with_provinces(reviews), batch_size=2000)
    Contribution.objects.bulk_create(with_provinces(contributions), batch_size=2000)
    Case.objects.bulk_create(with_provinces(cases), batch_size=2000)
    return {
        "supervisions": len(supervisions),
        "recommendations": len(recommendations),
        "dialogues": len(dialogues),
        "opinions": len(opinions),
        "reviews": len(reviews),
        "contributions": len(contributions),
        "cases": len(cases),
    }
