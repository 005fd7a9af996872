from django.db import models
from django.utils.translation import gettext_lazy as _


class Measure(models.TextChoices):
    COUNT = "count", _("count")
    VND = "vnd", _("VND")
    HOUSEHOLDS = "households", _("households")
    PEOPLE = "people", _("people")
    PERCENT = "percent", _("%")


class Aggregation(models.TextChoices):
    SUM = "sum", _("Sum")
    AVERAGE = "average", _("Average")
    LAST = "last", _("Last value")


class IndicatorSection(models.TextChoices):
    """Where the annual report prints an indicator: movements, credit and charity each under their own heading."""

    MOVEMENTS = "movements", _("Movements and indicators")
    EMULATION = "emulation", _("Emulation movements, key tasks and contests")
    GROUPS = "groups", _("Groups, clubs, models and cooperatives")
    CREDIT = "credit", _("Credit, savings and the economy")
    CHARITY = "charity", _("Charity and social work")
    CADRES = "cadres", _("Cadres")
    WORK = "work", _("Supervision, social critique, dialogue and case work")


# The sections of the seeded indicators that are not movements.
SEED_SECTIONS = {
    "UT01": "credit", "UT02": "credit", "KN01": "credit", "DA01": "credit", "TT01": "charity", "MA01": "charity",
    "MA02": "charity", "HTX1": "groups", "HTX2": "groups", "TH01": "cadres", "TH02": "cadres", "SH01": "cadres",
    "TT03": "cadres", "HD01": "emulation", "HD02": "emulation",
}  # fmt: skip


class PeriodKind(models.TextChoices):
    HALF_YEAR = "half", _("Six months")
    YEAR = "year", _("Year")


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    APPROVED = "approved", _("Approved")


EDITABLE_STATES = (ReportState.DRAFT, ReportState.RETURNED)


class LogAction(models.TextChoices):
    SAVED = "saved", _("Saved")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned with a comment")
    APPROVED = "approved", _("Approved")
    UNLOCKED = "unlocked", _("Unlocked")
    CLOSED = "closed", _("Closed by its own office (top of the tree)")


class TargetMetric(models.TextChoices):
    ATTRACTION_RATE = "attraction_rate", _("Attraction rate in every commune (%)")
    NEW_MEMBERS = "new_members", _("New members")
    STRONG_BRANCHES = "strong_branches", _("Branches “strong in every respect”")
    INDICATOR = "indicator", _("An indicator")
    FIGURE = "figure", _("A figure of the report")


class Comparison(models.TextChoices):
    AT_LEAST = "gte", "≥"
    AT_MOST = "lte", "≤"


class TargetSpan(models.TextChoices):
    YEAR = "year", _("Year")
    TERM = "term", _("Term")


# The movement indicators of the public reports, seeded on migrate; administrators add more in the app.
SEED_INDICATORS = [
    ("HD01", "Công trình, phần việc thiết thực đăng ký", Measure.COUNT, Aggregation.SUM),
    ("HD02", "Công trình, phần việc thiết thực hoàn thành", Measure.COUNT, Aggregation.SUM),
    ("MA01", "Nhà “Mái ấm tình thương” xây mới, sửa chữa", Measure.COUNT, Aggregation.SUM),
    ("MA02", "Giá trị nhà “Mái ấm tình thương”", Measure.VND, Aggregation.SUM),
    ("TT01", "Tiền, hàng từ thiện vận động được", Measure.VND, Aggregation.SUM),
    ("UT01", "Dư nợ cho vay ủy thác", Measure.VND, Aggregation.LAST),
    ("UT02", "Hộ vay vốn ủy thác còn dư nợ", Measure.HOUSEHOLDS, Aggregation.LAST),
    ("HTX1", "Hợp tác xã do phụ nữ quản lý thành lập mới", Measure.COUNT, Aggregation.SUM),
    ("HTX2", "Tổ hợp tác thành lập mới", Measure.COUNT, Aggregation.SUM),
    ("GD01", "Hộ gia đình đạt tiêu chí “5 không, 3 sạch”", Measure.HOUSEHOLDS, Aggregation.LAST),
    ("GN01", "Hộ hội viên nghèo được giúp đỡ", Measure.HOUSEHOLDS, Aggregation.SUM),
    ("NT01", "Tuyến đường, công trình nông thôn mới do Hội đảm nhận", Measure.COUNT, Aggregation.SUM),
    ("TH01", "Lớp tập huấn, truyền thông tổ chức", Measure.COUNT, Aggregation.SUM),
    ("TH02", "Lượt người tham dự tập huấn, truyền thông", Measure.PEOPLE, Aggregation.SUM),
    ("KN01", "Phụ nữ được hỗ trợ khởi nghiệp", Measure.PEOPLE, Aggregation.SUM),
    ("CL01", "Tỷ lệ hội viên tham gia sinh hoạt thường xuyên", Measure.PERCENT, Aggregation.AVERAGE),
]

# Single numbers the public reports state that no record holds, seeded on migrate (after the list above).
MORE_INDICATORS = [
    ("SH01", "Cán bộ Hội chuyên trách dự sinh hoạt với hội viên", Measure.PERCENT, Aggregation.AVERAGE),
    ("CS01", "Cơ sở Hội lựa chọn, xây dựng mô hình điểm", Measure.COUNT, Aggregation.SUM),
    ("NC01", "Ngày công lao động đóng góp", Measure.COUNT, Aggregation.SUM),
    ("SK01", "Đề tài khoa học, giải pháp, sáng kiến", Measure.COUNT, Aggregation.SUM),
    ("TS01", "Thư viện, tủ sách, ngăn sách của Hội", Measure.COUNT, Aggregation.LAST),
    ("MT01", "Cơ sở Hội có máy tính kết nối mạng", Measure.PERCENT, Aggregation.AVERAGE),
    ("KT01", "Cơ sở Hội được kiểm tra chuyên đề tài chính", Measure.PERCENT, Aggregation.AVERAGE),
    ("TH03", "Trường học được tuyên truyền", Measure.PERCENT, Aggregation.AVERAGE),
    ("TR01", "Tờ rơi, tài liệu tuyên truyền phát hành", Measure.COUNT, Aggregation.SUM),
    ("SL01", "Cán bộ, hội viên được khám sàng lọc", Measure.PEOPLE, Aggregation.SUM),
    ("NT02", "Cơ sở Hội đăng ký tham gia xây dựng nông thôn mới", Measure.COUNT, Aggregation.LAST),
    ("NT03", "Tuyến đường “Sáng - Xanh - Sạch - Đẹp - An toàn” được gắn biển", Measure.COUNT, Aggregation.SUM),
    ("DA01", "Nguồn lực thực hiện Đề án 938, 939", Measure.VND, Aggregation.SUM),
    ("TT03", "Cán bộ Hội cơ sở được truyền tải nội dung", Measure.PERCENT, Aggregation.AVERAGE),
]
# Names the first catalogue had worded badly: old name -> the wording of the reports.
RENAMED_INDICATORS = {"TH01": "Lớp tập huấn, truyền thông đã tổ chức"}
