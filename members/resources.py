"""The member list as the admin exports it (django-import-export), under the rules of the app's own exports:
only the members of the user's units, citizen IDs and phones masked where she does not keep the register,
and every export written to the data-access log."""

from import_export import fields, resources

from accounts.scope import mask, may_see_personal
from common.xlsx import neutralise

from .models import Member
from .selectors import PERSONAL_FIELDS


class MemberResource(resources.ModelResource):
    branch = fields.Field(attribute="branch__name", column_name="branch")
    commune = fields.Field(attribute="branch__parent__name", column_name="commune")

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    class Meta:
        model = Member
        fields = (
            "id", "full_name", "date_of_birth", "birth_year", "ethnicity", "religion", "id_number", "old_id_number",
            "phone", "address", "occupation", "joined_on", "is_core", "status", "left_on", "branch", "commune",
        )  # fmt: skip
        export_order = fields

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        if field.attribute in PERSONAL_FIELDS and not may_see_personal(self.user, instance.branch.path):
            return mask(value)
        return neutralise(value)  # a name typed as "=HYPERLINK(…)" stays text in Excel
