from django.db import models
from django.utils.translation import gettext_lazy as _

# The 54 officially recognised ethnic groups, spelled as the General Statistics
# Office lists them. Proper names: stored and shown as they are, not translated.
ETHNIC_GROUPS = [
    "Kinh", "Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "Mông", "Dao", "Gia Rai",
    "Ê Đê", "Ba Na", "Sán Chay", "Chăm", "Cơ Ho", "Xơ Đăng", "Sán Dìu", "Hrê", "Ra Glai", "Mnông",
    "Thổ", "Xtiêng", "Khơ Mú", "Bru Vân Kiều", "Cơ Tu", "Giáy", "Tà Ôi", "Mạ", "Giẻ Triêng", "Co",
    "Chơ Ro", "Xinh Mun", "Hà Nhì", "Chu Ru", "Lào", "La Chí", "Kháng", "Phù Lá", "La Hủ", "La Ha",
    "Pà Thẻn", "Lự", "Ngái", "Chứt", "Lô Lô", "Mảng", "Cơ Lao", "Bố Y", "Cống", "Si La",
    "Pu Péo", "Rơ Măm", "Brâu", "Ơ Đu",
]  # fmt: skip
MAJORITY_ETHNICITY = "Kinh"

# Other spellings met in member lists, folded (see common.text.fold), to the official name.
ETHNICITY_ALIASES = {
    "h'mong": "Mông", "hmong": "Mông", "h mong": "Mông", "meo": "Mông",
    "kho me": "Khmer", "kho-me": "Khmer", "khome": "Khmer", "stieng": "Xtiêng", "x tieng": "Xtiêng",
    "jrai": "Gia Rai", "gia-rai": "Gia Rai", "e de": "Ê Đê", "ede": "Ê Đê", "bana": "Ba Na",
    "san chi": "Sán Chay", "cao lan": "Sán Chay", "san chay (cao lan)": "Sán Chay",
    "kho mu": "Khơ Mú", "khmu": "Khơ Mú", "van kieu": "Bru Vân Kiều", "bru": "Bru Vân Kiều",
    "bru - van kieu": "Bru Vân Kiều", "gie trieng": "Giẻ Triêng", "gie-trieng": "Giẻ Triêng",
    "m'nong": "Mnông", "raglai": "Ra Glai", "co-ho": "Cơ Ho", "xo dang": "Xơ Đăng", "pa then": "Pà Thẻn",
    "kinh (viet)": "Kinh", "viet": "Kinh",
}  # fmt: skip

# Religions recognised by the State, the ones a member list usually names first.
RELIGIONS = [
    "Phật giáo", "Công giáo", "Tin lành", "Cao Đài", "Phật giáo Hòa Hảo", "Hồi giáo", "Bà-la-môn",
    "Tịnh độ cư sĩ Phật hội Việt Nam", "Tứ ân hiếu nghĩa", "Bửu sơn kỳ hương", "Minh sư đạo", "Minh lý đạo",
    "Baha'i", "Cơ đốc Phục lâm", "Mặc môn",
]  # fmt: skip
NO_RELIGION_WORDS = {"", "khong", "không", "k", "-", "0", "none"}

ADULT_AGE = 18


class Status(models.TextChoices):
    ACTIVE = "active", _("Active")
    TRANSFERRED = "transferred", _("Transferred out")
    LEFT = "left", _("Left the Union")
    DECEASED = "deceased", _("Deceased")


class LeaveReason(models.TextChoices):
    WORK = "work", _("Moved away for work")
    MARRIAGE = "marriage", _("Moved after marriage")
    PERSONAL = "personal", _("Personal reasons")
    OTHER = "other", _("Other")


class SpecialGroup(models.TextChoices):
    WORKER = "worker", _("Female worker")
    YOUNG = "young", _("Young woman")
    ELDERLY = "elderly", _("Elderly woman")
    RELIGIOUS = "religious", _("Religious woman")
    ETHNIC = "ethnic", _("Ethnic-minority woman")
    TRADER = "trader", _("Small trader")


class EventKind(models.TextChoices):
    JOINED = "joined", _("Joined")
    TRANSFER_REQUESTED = "transfer_requested", _("Transfer requested")
    TRANSFERRED = "transferred", _("Transferred")
    TRANSFER_REFUSED = "transfer_refused", _("Transfer refused")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out of the province")
    LEFT = "left", _("Left the Union")
    DIED = "died", _("Died")
    REJOINED = "rejoined", _("Rejoined")
    MERGED = "merged", _("Duplicate record merged in")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting acceptance")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Cancelled")


# Age bands of the member list filter and the reports: (label, lowest age, highest age).
AGE_BANDS = {
    "18-30": (18, 30),
    "31-45": (31, 45),
    "46-60": (46, 60),
    "61+": (61, 200),
}
