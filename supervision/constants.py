from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SupervisionKind(models.TextChoices):
    THEMATIC = "thematic", _("Thematic")
    REGULAR = "regular", _("Regular")
    UNANNOUNCED = "unannounced", _("Unannounced")


class SupervisionRole(models.TextChoices):
    LEAD = "lead", _("Led by the Union")
    PARTNER = "partner", _("In coordination")


class RecommendationStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", pgettext_lazy("recommendation", "Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")


CLOSED_STATUSES = (RecommendationStatus.RESOLVED, RecommendationStatus.NOT_ACCEPTED)
# Where a recommendation may go from each state; a follow-up entry makes each move.
TRANSITIONS = {
    RecommendationStatus.SENT: (
        RecommendationStatus.ACCEPTED,
        RecommendationStatus.IN_PROGRESS,
        RecommendationStatus.RESOLVED,
        RecommendationStatus.NOT_ACCEPTED,
    ),
    RecommendationStatus.ACCEPTED: (RecommendationStatus.IN_PROGRESS, RecommendationStatus.RESOLVED),
    RecommendationStatus.IN_PROGRESS: (RecommendationStatus.RESOLVED,),
    RecommendationStatus.RESOLVED: (),
    RecommendationStatus.NOT_ACCEPTED: (),
}
# Reaching one of these means the addressee took the recommendation up.
ACCEPTED_STATUSES = (RecommendationStatus.ACCEPTED, RecommendationStatus.IN_PROGRESS, RecommendationStatus.RESOLVED)


class Source(models.TextChoices):
    SUPERVISION = "supervision", _("Supervision")
    DIALOGUE = "dialogue", _("Dialogue")


class ReviewKind(models.TextChoices):
    CRITIQUE = "critique", _("Social critique")
    COMMENT = "comment", _("Comments on a draft")


class TakenUp(models.TextChoices):
    PENDING = "pending", _("Not known yet")
    FULLY = "fully", _("Taken up")
    PARTLY = "partly", _("Partly taken up")
    NOT = "not", _("Not taken up")


class ContributionKind(models.TextChoices):
    PARTY_GOVERNMENT = "party_government", _("Opinions to Party committees and authorities")
    CADRES = "cadres", _("Opinions on cadres and Party members")


class OpinionField(models.TextChoices):
    LAND = "land", _("Land")
    LABOUR = "labour", _("Labour and jobs")
    ENVIRONMENT = "environment", _("Environment")
    DOMESTIC_VIOLENCE = "domestic_violence", _("Domestic violence")
    CHILD_ABUSE = "child_abuse", _("Child abuse")
    FOOD_SAFETY = "food_safety", _("Food safety")
    SOCIAL_ORDER = "social_order", _("Social order")
    GENDER_EQUALITY = "gender_equality", _("Gender equality")
    SITE_CLEARANCE = "site_clearance", _("Site clearance")
    AGRICULTURE = "agriculture", _("Agricultural production")
    CADRE_POLICY = "cadre_policy", _("Policies for Union cadres")
    OTHER = "other", _("Other")


class OpinionOutcome(models.TextChoices):
    ANSWERED = "answered", _("Answered on the spot")
    COMMITTED = "committed", _("Committed, to be followed up")
    RESOLVED = "resolved", _("Resolved later")
    NOT_RESOLVED = "not_resolved", _("Not resolved")


class CaseKind(models.TextChoices):
    PETITION = "petition", _("Petition")
    MEDIATION = "mediation", _("Mediation")
    ABUSE = "abuse", _("Abuse case supported")
    POLICY = "policy", _("Policy proposal")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Being handled")
    SETTLED = "settled", _("Settled")
    NOT_SETTLED = "not_settled", _("Not settled")


# What "settled" and "not settled" mean for each kind of case, as the reports say it.
CASE_OUTCOME_LABELS = {
    CaseKind.PETITION: (_("Settled"), _("Not settled")),
    CaseKind.MEDIATION: (_("Reconciled"), _("Not reconciled")),
    CaseKind.ABUSE: (_("Supported"), _("Could not be supported")),
    CaseKind.POLICY: (_("Adopted"), _("Not adopted")),
}


class Victim(models.TextChoices):
    WOMAN = "woman", _("Woman")
    CHILD = "child", _("Child")


# Attachments: minutes, conclusions and evidence. Kept small enough for a phone upload.
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
# How a file must begin to be what its name says (docx and xlsx are zip files).
ATTACHMENT_MAGIC = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}
DUE_SOON_DAYS = 30
# Age of overdue items on the follow-up board, in days past due.
OVERDUE_BANDS = ((1, 30), (31, 90), (91, 180), (181, None))
