from django.db import models
from django.utils.translation import gettext_lazy as _


class GroupKind(models.TextChoices):
    CLUB = "club", _("Club")
    MODEL = "model", _("Model")
    SAVINGS_GROUP = "savings_group", _("Savings and loan group")
    COOP_GROUP = "coop_group", _("Cooperative group")
    COOPERATIVE = "cooperative", _("Cooperative")
    OTHER = "other", _("Other group")


class CreditSource(models.TextChoices):
    SOCIAL_POLICY_BANK = "vbsp", _("Social Policy Bank (entrusted loans)")
    OTHER_BANK = "bank", _("Other banks")
    MICROFINANCE = "microfinance", _("Microfinance (TYM and others)")
    EMPLOYMENT_FUND = "employment_fund", _("National employment fund")
    UNION_FUND = "union_fund", _("The Union's own funds")
    OTHER = "other", _("Other sources")


class AwardKind(models.TextChoices):
    FLAG = "flag", _("Emulation flag")
    MERIT = "merit", _("Certificate of merit")
    CERTIFICATE = "certificate", _("Certificate of commendation")
    MEDAL = "medal", _("Commemorative medal")
    TITLE = "title", _("Emulation title")
    OTHER = "other", _("Other award")


class AwardLevel(models.TextChoices):
    STATE = "state", _("State and Government")
    CENTRAL = "central", _("Central Union")
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")


class Direction(models.TextChoices):
    RECEIVED = "received", _("Received")
    GIVEN = "given", _("Given")


class Recipient(models.TextChoices):
    COLLECTIVE = "collective", _("Collective")
    INDIVIDUAL = "individual", _("Individual")


class TaskKind(models.TextChoices):
    KEY_TASK = "key_task", _("Key task")
    WORK_ITEM = "work_item", _("Work or project")
    ACTION = "action", _("Practical action")


class HouseKind(models.TextChoices):
    BUILT = "built", _("Built")
    REPAIRED = "repaired", _("Repaired")
