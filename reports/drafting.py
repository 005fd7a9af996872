"""The generated draft of a report's text, in the order and the words of the Union's reports.

Every number is a token (``[[members.total]]``), so the office can rewrite the sentences and the numbers stay
the report's. A clause whose figure is zero or missing is left out: the draft never says "giám sát 0 cuộc".
Headed parts ("## Hạn chế và nguyên nhân") print after the tables, numbered on from them.
"""

from branches.constants import Level

from .constants import Measure
from .selectors.annual import Report

HEADING = "## "  # a line of the text that opens a headed part ("## Hạn chế và nguyên nhân")
MEASURE_WORDS = {Measure.HOUSEHOLDS: " hộ", Measure.PEOPLE: " người", Measure.PERCENT: "%"}


class Draft:
    def __init__(self, report: Report):
        self.report = report
        self.f = report.figures

    def has(self, key: str) -> bool:
        figure = self.f.get(key)
        return figure is not None and bool(figure.value)

    def changed(self, key: str) -> bool:
        figure = self.f.get(key)
        return figure is not None and bool(figure.change)

    def clauses(self, *parts: tuple[str, str]) -> list[str]:
        """The phrases whose figure (the first of the pair) has a value."""
        return [text for key, text in parts if self.has(key)]


def where(report: Report) -> str:
    """ "toàn tỉnh", "toàn thành phố", "toàn huyện", "toàn thị xã", "toàn quận", or the commune's own name."""
    level, name = report.unit.level, report.name
    if level == Level.CENTRAL:
        return "toàn quốc"
    if level not in (Level.PROVINCE, Level.DISTRICT):
        return name
    for word in ("Thành phố", "Thị xã", "Quận", "Huyện", "Tỉnh"):
        if name.lower().startswith(word.lower()):
            return f"toàn {word.lower()}"
    return "toàn tỉnh" if level == Level.PROVINCE else "toàn huyện"


def compared_with(report: Report) -> str:
    """What the previous span is called in a sentence: "năm 2023", "6 tháng đầu năm 2024", "kỳ trước"."""
    span = report.span
    if span.kind == "year":
        return f"năm {span.end.year - 1}"
    if span.kind == "half":
        return report.previous_span.label.lower()
    if span.kind == "term":
        return "nhiệm kỳ trước"
    if span.kind == "to_date":
        return "cùng kỳ năm trước"
    return "kỳ trước"


def _join(parts: list[str], last: str = " và ") -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + last + parts[-1]


def _sentence(lead: str, parts: list[str], separator: str = "; ") -> str:
    return f"{lead}{separator.join(parts)}." if parts else ""


def _members(d: Draft, whole: str, before: str) -> str:
    r = d.report
    head = f"Tính đến ngày {r.span.end:%d/%m/%Y}, {whole} có "
    units = d.clauses(("org.districts", "[[org.districts]] huyện, thị xã, thành phố"),
                      ("org.communes", "[[org.communes]] cơ sở Hội"), ("org.branches", "[[org.branches]] chi hội"))  # fmt: skip
    text = head + (", ".join(units) + " với " if units else "") + "[[members.total]] hội viên"
    if d.f["members.rate"].value is not None:
        text += ", thu hút [[members.rate]]% phụ nữ từ 18 tuổi trở lên tham gia sinh hoạt Hội"
    if d.changed("members.total"):
        text += f", [[members.total|trend]] hội viên so với {before}"
    text += "."
    joined = d.clauses(("members.new", "kết nạp [[members.new]] hội viên mới"),
                       ("members.left", "[[members.left]] hội viên ra khỏi Hội, chuyển đi hoặc qua đời"))  # fmt: skip
    if joined:
        text += " Trong kỳ, các cấp Hội " + "; ".join(joined) + "."
    if d.has("members.growth_pct") and d.f["members.growth_pct"].value > 0:
        text += " Số hội viên tăng [[members.growth_pct]]%."
    communes, rated, above = (
        d.f[k].value or 0 for k in ("org.communes", "members.rated_communes", "members.above_floor")
    )
    if d.has("members.below_floor"):
        names = ", ".join(name for name, _rate in r.below_floor[:5])
        text += (
            " Còn [[members.below_floor]] cơ sở Hội có tỷ lệ thu hút hội viên dưới 50%"
            + (f" ({names})" if names else "")
            + "."
        )
    elif communes and rated == communes and above == communes:
        # Only when every commune has a women-18+ figure and all are above half (exactly 50% is not "trên").
        text += " 100% cơ sở Hội tập hợp trên 50% phụ nữ từ 18 tuổi trở lên."
    extra = d.clauses(("members.core", "hội viên nòng cốt [[members.core]] người"),
                      ("members.minority", "hội viên là người dân tộc thiểu số [[members.minority]] người"),
                      ("members.religious", "hội viên có đạo [[members.religious]] người"))  # fmt: skip
    if extra:
        text += " Trong đó, " + "; ".join(extra) + "."
    strong = d.clauses(("org.strong_communes", "[[org.strong_communes]] cơ sở Hội"),
                       ("org.strong_branches", "[[org.strong_branches]] chi hội"))  # fmt: skip
    if strong:
        text += f" Kết quả xếp loại năm {r.span.end.year}: {_join(strong)} đạt “vững mạnh toàn diện”."
    return text


def _cadres(d: Draft) -> str:
    parts = []
    for level, name in ((Level.PROVINCE, "cấp tỉnh"), (Level.DISTRICT, "cấp huyện"), (Level.COMMUNE, "cấp cơ sở")):
        if d.has(f"cadres.{level}.standard_pct"):
            parts.append(f"[[cadres.{level}.standard_pct]]% cán bộ Hội {name}")
    text = _sentence("Về đội ngũ cán bộ: ", [_join(parts) + " đạt chuẩn chức danh"] if parts else [])
    leaders = d.clauses(
        ("cadres.chair.standard_pct", "[[cadres.chair.standard_pct]]% chủ tịch Hội LHPN cấp xã đạt chuẩn chức danh"),
        ("cadres.chair.degree_pct", "[[cadres.chair.degree_pct]]% chủ tịch có trình độ chuyên môn từ đại học trở lên"),
        ("cadres.vice_chair.standard_pct", "[[cadres.vice_chair.standard_pct]]% phó chủ tịch đạt chuẩn chức danh"),
    )
    if leaders:
        text += (" " if text else "") + "Có " + "; ".join(leaders) + "."
    if d.has("cadres.trainings"):
        text += " Các cấp Hội tổ chức [[cadres.trainings]] lớp tập huấn, bồi dưỡng"
        text += " với [[cadres.trainees]] lượt người tham dự" if d.has("cadres.trainees") else ""
        trained = d.clauses(("cadres.chair.trained", "[[cadres.chair.trained]] chủ tịch"),
                            ("cadres.vice_chair.trained", "[[cadres.vice_chair.trained]] phó chủ tịch"),
                            ("cadres.branch_head.trained", "[[cadres.branch_head.trained]] chi hội trưởng"))  # fmt: skip
        text += f", trong đó có {_join(trained)} được tập huấn" if trained else ""
        text += "."
    return text.strip()


def _movements(d: Draft) -> str:
    parts = []
    if d.has("tasks.key_task.registered"):
        parts.append("hoàn thành [[tasks.key_task.completed]]/[[tasks.key_task.registered]] nhiệm vụ trọng tâm")
    if d.has("tasks.action.registered"):
        levels = d.clauses(("tasks.action.completed:province", "[[tasks.action.completed:province]] cấp tỉnh"),
                           ("tasks.action.completed:district", "[[tasks.action.completed:district]] cấp huyện"),
                           ("tasks.action.completed:commune", "[[tasks.action.completed:commune]] cấp cơ sở"))  # fmt: skip
        parts.append("hoàn thành [[tasks.action.completed]]/[[tasks.action.registered]] hành động thiết thực"
                     + (f" ({', '.join(levels)})" if levels else ""))  # fmt: skip
    if d.has("tasks.work_item.completed"):
        parts.append("[[tasks.work_item.completed]] công trình, phần việc được hoàn thành")
    if d.has("contests.n"):
        parts.append("tổ chức [[contests.n]] hội thi, cuộc thi với [[contests.participants]] lượt người tham gia")
    text = _sentence("Các phong trào thi đua và cuộc vận động: các cấp Hội ", parts)
    groups = d.clauses(("groups.n", "duy trì [[groups.n]] câu lạc bộ, tổ, nhóm, mô hình với [[groups.members]] thành viên"),
                       ("groups.new", "thành lập mới [[groups.new]]"))  # fmt: skip
    if groups:
        text += " Các cấp Hội " + "; ".join(groups) + "."
    text += _indicators(d, ("movements", "emulation", "groups"))
    return text.strip()


def _indicators(d: Draft, sections: tuple[str, ...]) -> str:
    """The catalogue's single numbers printed under these sections, each with its unit (hộ, người, %, đồng)."""
    found = []
    for figure in (f for s in d.report.sections if s.key in sections for f in s.figures):
        if not figure.key.startswith("indicator.") or not figure.value:
            continue
        word = MEASURE_WORDS.get(figure.measure, "")
        label = figure.label[:1].lower() + figure.label[1:]
        found.append(f"{label}: [[{figure.key}]]{word}")
    return (" Kết quả cụ thể: " + "; ".join(found) + ".") if found else ""


def _credit(d: Draft) -> str:
    parts = d.clauses(
        ("credit.outstanding", "tổng dư nợ các nguồn vốn do Hội quản lý, nhận ủy thác đạt [[credit.outstanding]]"),
        ("credit.households", "[[credit.households]] hộ còn dư nợ"),
        ("credit.groups", "[[credit.groups]] tổ tiết kiệm và vay vốn"),
        ("credit.disbursed", "trong kỳ giải ngân [[credit.disbursed]] cho [[credit.new_borrowers]] lượt hội viên vay"),
    )
    return (_sentence("Công tác hỗ trợ phụ nữ phát triển kinh tế: ", parts) + _indicators(d, ("credit",))).strip()


def _work(d: Draft) -> str:
    sup = []
    if d.has("work.supervisions"):
        sup.append("chủ trì, phối hợp giám sát [[work.supervisions]] cuộc")
    if d.has("work.recommendations.made"):
        rec = "đưa ra [[work.recommendations.made]] kiến nghị"
        if d.has("work.recommendations.resolved"):
            rec += ", trong đó [[work.recommendations.resolved]] kiến nghị đã được giải quyết"
        sup.append(rec)
    if d.has("work.recommendations.overdue"):
        sup.append(
            "còn [[work.recommendations.overdue]] kiến nghị quá hạn chưa được giải quyết, cần tiếp tục theo dõi, đôn đốc"
        )
    sup += d.clauses(
        ("work.critiques.count", "phản biện xã hội đối với [[work.critiques.count]] văn bản"),
        ("work.draft_comments.count", "góp ý [[work.draft_comments.count]] dự thảo văn bản"),
        (
            "work.party_opinions.opinions",
            "đóng góp [[work.party_opinions.opinions]] ý kiến đối với cấp ủy, chính quyền",
        ),
        ("work.cadre_opinions.opinions", "[[work.cadre_opinions.opinions]] ý kiến đối với cán bộ, đảng viên"),
        ("work.policy.received", "tham mưu, đề xuất [[work.policy.received]] chính sách"),
    )
    text = _sentence("Công tác giám sát, phản biện xã hội và tham gia xây dựng Đảng, chính quyền: các cấp Hội ", sup)
    if d.has("work.dialogues.count"):
        forum = "Phối hợp tổ chức [[work.dialogues.count]] diễn đàn đối thoại giữa người đứng đầu cấp ủy, chính quyền với hội viên, phụ nữ"
        if d.has("work.dialogues.participants"):
            forum += " ([[work.dialogues.participants]] người tham dự)"
        if d.has("work.opinions"):
            forum += "; hội viên, phụ nữ nêu [[work.opinions]] ý kiến, kiến nghị"
            forum += (
                ", trong đó [[work.opinions.answered]] ý kiến được trả lời, làm rõ tại diễn đàn"
                if d.has("work.opinions.answered")
                else ""
            )
        text += " " + forum + "."
    cases = d.clauses(
        ("work.petition.received", "tiếp nhận [[work.petition.received]] đơn thư" + (", giải quyết [[work.petition.settled]]" if d.has("work.petition.settled") else "")),
        ("work.mediation.received", "tham gia hòa giải [[work.mediation.received]] vụ việc mâu thuẫn" + (", hòa giải thành công [[work.mediation.settled]]" if d.has("work.mediation.settled") else "")),
        ("work.abuse.received", "hỗ trợ [[work.abuse.received]] vụ việc phụ nữ, trẻ em bị bạo lực, xâm hại"),
    )  # fmt: skip
    if cases:
        text += " " + "; ".join(cases)[:1].upper() + "; ".join(cases)[1:] + "."
    return text.strip()


def _charity(d: Draft) -> str:
    parts = d.clauses(
        ("charity.value", "vận động, trao tặng tiền và hàng trị giá [[charity.value]]"),
        ("charity.gifts", "[[charity.gifts]] suất quà"),
        ("houses.n", "xây mới, sửa chữa [[houses.n]] nhà “Mái ấm tình thương”" + (" trị giá [[houses.value]]" if d.has("houses.value") else "")),
        ("children.sponsored", "nhận đỡ đầu [[children.sponsored]] trẻ em"),
    )  # fmt: skip
    text = _sentence("Công tác nhân đạo, từ thiện: các cấp Hội ", parts) + _indicators(d, ("charity",))
    campaigns = [f for f in d.f.values() if f.key.startswith("charity.campaign:") and f.value]
    campaigns.sort(key=lambda f: -f.value)
    if campaigns:
        named = []
        for figure in campaigns[:3]:
            name = figure.label.split("“", 1)[-1].split("”", 1)[0]
            named.append(f"chương trình “{name}” [[{figure.key}]]")
        text += " Trong đó: " + "; ".join(named) + "."
    return text


def _targets_and_awards(d: Draft) -> str:
    parts = []
    if d.has("targets.year.total"):
        parts.append("đạt [[targets.year.met]]/[[targets.year.total]] chỉ tiêu năm")
    if d.has("targets.term.total"):
        parts.append("[[targets.term.met]]/[[targets.term.total]] chỉ tiêu nhiệm kỳ")
    text = _sentence("Kết quả thực hiện chỉ tiêu: ", parts, ", ")
    awards = d.clauses(("awards.received", "[[awards.received]] lượt tập thể, cá nhân được khen thưởng"),
                       ("awards.given", "các cấp Hội khen thưởng [[awards.given]] lượt tập thể, cá nhân"))  # fmt: skip
    if awards:
        text += (" " if text else "") + "Công tác thi đua, khen thưởng: " + "; ".join(awards) + "."
    return text


def _limitations(d: Draft, before: str) -> str:
    found = []
    if d.has("members.below_floor"):
        found.append("- Còn [[members.below_floor]] cơ sở Hội có tỷ lệ thu hút hội viên dưới 50%.")
    if d.f["members.total"].change is not None and d.f["members.total"].change < 0:
        found.append(f"- Số hội viên [[members.total|trend]] so với {before}.")
    if d.has("work.recommendations.overdue"):
        found.append("- Còn [[work.recommendations.overdue]] kiến nghị sau giám sát quá hạn chưa được giải quyết.")
    if (
        d.has("tasks.key_task.registered")
        and d.f["tasks.key_task.completed"].value != d.f["tasks.key_task.registered"].value
    ):
        found.append(
            "- Chưa hoàn thành hết các nhiệm vụ trọng tâm đã đăng ký ([[tasks.key_task.completed]]/[[tasks.key_task.registered]])."
        )
    if d.has("targets.total") and d.f["targets.met"].value != d.f["targets.total"].value:
        found.append("- Một số chỉ tiêu chưa đạt ([[targets.met]]/[[targets.total]] chỉ tiêu đạt).")
    return "\n".join(found)


def _next_tasks(d: Draft) -> str:
    tasks = []
    if d.has("members.below_floor"):
        tasks.append("- Tập trung phát triển hội viên ở các cơ sở Hội có tỷ lệ thu hút dưới 50%.")
    if d.has("work.recommendations.overdue"):
        tasks.append("- Theo dõi, đôn đốc giải quyết các kiến nghị sau giám sát còn quá hạn.")
    tasks.append(
        "- Tiếp tục nâng cao chất lượng hoạt động của chi hội, xây dựng cơ sở Hội, chi hội vững mạnh toàn diện."
    )
    tasks.append(
        "- Triển khai các phong trào thi đua, cuộc vận động và chương trình, đề án của Hội gắn với nhiệm vụ chính trị của địa phương."
    )
    return "\n".join(tasks)


def draft(report: Report) -> str:
    d = Draft(report)
    whole, before = where(report), compared_with(report)
    results = [
        _members(d, whole, before), _cadres(d), _movements(d), _credit(d), _work(d), _charity(d),
        _targets_and_awards(d),
    ]  # fmt: skip
    parts = [p for p in results if p]
    limitations = _limitations(d, before)
    if limitations:
        parts += [HEADING + "Hạn chế và nguyên nhân", limitations]
    span = report.span
    next_heading = (
        f"Phương hướng, nhiệm vụ trọng tâm năm {span.end.year + 1}"
        if span.kind == "year"
        else "Nhiệm vụ trọng tâm thời gian tới"
    )
    parts += [HEADING + next_heading, _next_tasks(d)]
    return "\n\n".join(" ".join(p.split(" ")) for p in parts)


def parts(text: str) -> list[tuple[str | None, str]]:
    """The text split at its headings: (None, the results), then (heading, body) for each headed part."""
    found: list[tuple[str | None, list[str]]] = [(None, [])]
    for line in text.strip().splitlines():
        if line.startswith(HEADING):
            found.append((line[len(HEADING) :].strip(), []))
        else:
            found[-1][1].append(line)
    return [(heading, "\n".join(lines).strip()) for heading, lines in found if heading or "\n".join(lines).strip()]
