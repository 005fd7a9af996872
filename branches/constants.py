from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    CENTRAL = "central", _("Central Union")
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune union")
    BRANCH = "branch", _("Branch")
    GROUP = "group", _("Women's group")


# Depth order of the levels; a child is always of a later level than its parent
# (after the 2025 reform a commune hangs directly under its province).
LEVEL_ORDER = [Level.CENTRAL, Level.PROVINCE, Level.DISTRICT, Level.COMMUNE, Level.BRANCH, Level.GROUP]
# The levels that hold dialogue forums, supervise, train cadres and import lists of records: a commune union and
# every level above it (a branch records its members and its movement work, not these).
LEAD_LEVELS = (Level.CENTRAL, Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)


class UnitType(models.TextChoices):
    CENTRAL = "trung_uong", _("Central Union (Trung ương Hội)")
    PROVINCE = "tinh", _("Province (tỉnh)")
    CENTRAL_CITY = "thanh_pho_tw", _("Centrally-run city")
    RURAL_DISTRICT = "huyen", _("Rural district (huyện)")
    URBAN_DISTRICT = "quan", _("Urban district (quận)")
    TOWN = "thi_xa", _("Town (thị xã)")
    PROVINCIAL_CITY = "thanh_pho", _("Provincial city")
    COMMUNE = "xa", _("Commune (xã)")
    WARD = "phuong", _("Ward (phường)")
    TOWNSHIP = "thi_tran", _("Township (thị trấn)")
    SPECIAL_ZONE = "dac_khu", _("Special zone (đặc khu)")
    AGENCY = "co_quan", _("Agency or enterprise union")
    BRANCH = "chi_hoi", _("Branch (chi hội)")
    GROUP = "to", _("Women's group (tổ)")


# How the official lists spell the types, by level.
TYPE_BY_OFFICIAL_NAME = {
    Level.PROVINCE: {"tỉnh": UnitType.PROVINCE, "thành phố": UnitType.CENTRAL_CITY},
    Level.DISTRICT: {
        "huyện": UnitType.RURAL_DISTRICT,
        "quận": UnitType.URBAN_DISTRICT,
        "thị xã": UnitType.TOWN,
        "thành phố": UnitType.PROVINCIAL_CITY,
    },
    Level.COMMUNE: {
        "xã": UnitType.COMMUNE,
        "phường": UnitType.WARD,
        "thị trấn": UnitType.TOWNSHIP,
        "đặc khu": UnitType.SPECIAL_ZONE,
    },
}


class EventKind(models.TextChoices):
    CREATE = "create", _("Created")
    RENAME = "rename", _("Renamed")
    RECODE = "recode", _("Code changed")
    MOVE = "move", _("Moved")
    MERGE = "merge", _("Merged")
    SPLIT = "split", _("Split")
    RETIRE = "retire", _("Dissolved")
    LEVEL_RETIRE = "level_retire", _("Level abolished")
