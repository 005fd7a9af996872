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

# Other spellings met in member lists, folded (see common.text.fold), to the official name: short forms, the names
# without spaces or hyphens, and the older names of groups still written by older clerks (Mèo, Thổ for Khmer …).
# Names that are also ordinary words ("Man", "Lê", "Mọn") are left out: a wrong group is worse than a flagged one.
ETHNICITY_ALIASES = {
    "viet": "Kinh", "kinh (viet)": "Kinh", "nguoi viet": "Kinh",
    "han": "Hoa", "nguoi hoa": "Hoa", "hoa kieu": "Hoa",
    "h'mong": "Mông", "hmong": "Mông", "h mong": "Mông", "meo": "Mông", "mong": "Mông",
    "kho me": "Khmer", "kho-me": "Khmer", "khome": "Khmer", "khmer krom": "Khmer", "kho me krom": "Khmer",
    "mien": "Dao", "dao do": "Dao", "dao tien": "Dao", "dao quan chet": "Dao",
    "jrai": "Gia Rai", "jarai": "Gia Rai", "gia-rai": "Gia Rai", "giarai": "Gia Rai",
    "e de": "Ê Đê", "ede": "Ê Đê", "e-de": "Ê Đê", "rade": "Ê Đê", "rhade": "Ê Đê", "ra de": "Ê Đê",
    "bana": "Ba Na", "bahnar": "Ba Na", "ba-na": "Ba Na",
    "san chi": "Sán Chay", "cao lan": "Sán Chay", "san chay (cao lan)": "Sán Chay", "cao lan san chi": "Sán Chay",
    "sanchay": "Sán Chay",
    "cham": "Chăm", "cham pa": "Chăm", "champa": "Chăm", "cham hroi": "Chăm",
    "koho": "Cơ Ho", "k'ho": "Cơ Ho", "co-ho": "Cơ Ho", "coho": "Cơ Ho",
    "xo dang": "Xơ Đăng", "xo-dang": "Xơ Đăng", "sedang": "Xơ Đăng", "ca dong": "Xơ Đăng",
    "san deo": "Sán Dìu", "sandiu": "Sán Dìu",
    "h're": "Hrê", "cham re": "Hrê",
    "raglai": "Ra Glai", "ra-glai": "Ra Glai", "rac lay": "Ra Glai",
    "m'nong": "Mnông", "m nong": "Mnông", "pnong": "Mnông",
    "stieng": "Xtiêng", "x tieng": "Xtiêng", "x'tieng": "Xtiêng", "xa dieng": "Xtiêng",
    "kho mu": "Khơ Mú", "khmu": "Khơ Mú", "kho-mu": "Khơ Mú", "xa cau": "Khơ Mú",
    "van kieu": "Bru Vân Kiều", "bru": "Bru Vân Kiều", "bru - van kieu": "Bru Vân Kiều", "bru-van kieu": "Bru Vân Kiều",
    "ma coong": "Bru Vân Kiều",
    "katu": "Cơ Tu", "ca tu": "Cơ Tu", "co-tu": "Cơ Tu",
    "nhang": "Giáy",
    "ta-oi": "Tà Ôi", "pa co": "Tà Ôi", "pa ko": "Tà Ôi",
    "gie trieng": "Giẻ Triêng", "gie-trieng": "Giẻ Triêng", "ta rieng": "Giẻ Triêng",
    "cor": "Co", "col": "Co",
    "cho-ro": "Chơ Ro", "do ro": "Chơ Ro", "chau ro": "Chơ Ro",
    "puoc": "Xinh Mun",
    "u ni": "Hà Nhì", "xa u ni": "Hà Nhì", "ha nhi": "Hà Nhì",
    "cu te": "La Chí", "xa khao": "Kháng",
    "xa pho": "Phù Lá", "bo kho pa": "Phù Lá",
    "lao xa": "La Hủ", "xa la vang": "La Hủ",
    "pa then": "Pà Thẻn", "pa hung": "Pà Thẻn", "to lang": "Pà Thẻn",
    "duon": "Lự",
    "sach": "Chứt", "ruc": "Chứt",
    "mun di": "Lô Lô", "lolo": "Lô Lô",
    "mang u": "Mảng",
    "chung cha": "Bố Y", "trong gia": "Bố Y",
    "xam khong": "Cống",
    "cu de xu": "Si La",
    "ka peo": "Pu Péo",
    "brao": "Brâu",
    "tay hat": "Ơ Đu",
}  # fmt: skip
# Words written before a group's name: "Dân tộc Kinh", "DT Tày", "Người Mường".
ETHNICITY_PREFIXES = ("dan toc ", "dt ", "dt. ", "nguoi ")

# The religions recognised by the State (Ban Tôn giáo Chính phủ), as a member list names them.
RELIGIONS = [
    "Phật giáo", "Công giáo", "Tin lành", "Cao Đài", "Phật giáo Hòa Hảo", "Hồi giáo", "Bà-la-môn",
    "Tịnh độ cư sĩ Phật hội Việt Nam", "Tứ ân hiếu nghĩa", "Bửu sơn kỳ hương", "Minh sư đạo", "Minh lý đạo",
    "Baha'i", "Cơ đốc Phục lâm", "Mặc môn", "Phật giáo Hiếu nghĩa Tà Lơn",
]  # fmt: skip
# Spellings met in member lists (folded) -> the official name.
RELIGION_ALIASES = {
    "dao phat": "Phật giáo", "phat": "Phật giáo", "pg": "Phật giáo", "dao phat giao": "Phật giáo",
    "thien chua": "Công giáo", "thien chua giao": "Công giáo", "dao thien chua": "Công giáo", "cong giao": "Công giáo",
    "cg": "Công giáo", "tcg": "Công giáo", "ki to giao": "Công giáo", "kito giao": "Công giáo", "giao": "Công giáo",
    "dao cong giao": "Công giáo",
    "dao tin lanh": "Tin lành", "tin lanh": "Tin lành", "tl": "Tin lành", "co doc giao": "Tin lành",
    "dao cao dai": "Cao Đài", "cao dai": "Cao Đài",
    "hoa hao": "Phật giáo Hòa Hảo", "dao hoa hao": "Phật giáo Hòa Hảo", "pghh": "Phật giáo Hòa Hảo",
    "phat giao hoa hao": "Phật giáo Hòa Hảo",
    "hoi": "Hồi giáo", "dao hoi": "Hồi giáo", "islam": "Hồi giáo", "hoi giao": "Hồi giáo",
    "ba la mon": "Bà-la-môn", "dao ba la mon": "Bà-la-môn", "balamon": "Bà-la-môn", "ba-la-mon": "Bà-la-môn",
    "tinh do cu si": "Tịnh độ cư sĩ Phật hội Việt Nam", "tinh do cu si phat hoi": "Tịnh độ cư sĩ Phật hội Việt Nam",
    "minh ly dao tam tong mieu": "Minh lý đạo", "bahai": "Baha'i", "baha i": "Baha'i",
    "co doc phuc lam": "Cơ đốc Phục lâm", "phuc lam": "Cơ đốc Phục lâm",
    "mac mon": "Mặc môn", "hieu nghia ta lon": "Phật giáo Hiếu nghĩa Tà Lơn",
}  # fmt: skip
# "Lương" is how lists write "no religion" (as opposed to "Giáo", Catholic).
NO_RELIGION_WORDS = {"", "khong", "không", "k", "-", "0", "none", "luong", "khong ton giao", "ktg", "khong co"}

ADULT_AGE = 18
# Nobody on a member list is older; a birth year further back is a typing or reading error.
MAX_AGE = 110


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
