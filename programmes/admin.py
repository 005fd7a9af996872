from django.contrib import admin

from supervision.admin import ReadOnlyAdmin

from .views import RECORD_TYPES

# Read-only, for looking records up and reading their history: writes go through the app's forms.
for kind in RECORD_TYPES:
    admin.site.register(
        kind.model,
        type(
            f"{kind.model.__name__}Admin",
            (ReadOnlyAdmin,),
            {
                "list_display": ["__str__", "unit"],
                "search_fields": list(kind.search),
                "list_filter": list(kind.filters),
            },
        ),
    )
