from django.contrib import admin

from supervision.admin import ReadOnlyAdmin

from .views import RECORD_TYPES

PERIOD_FILTERS = {"year", "start", "end", "q"}

# Read-only, for looking records up and reading their history: writes go through the app's forms.
for kind in RECORD_TYPES:
    admin.site.register(
        kind.model,
        type(
            f"{kind.model.__name__}Admin",
            (ReadOnlyAdmin,),
            {
                "list_display": ["__str__", "unit"],
                "search_fields": list(kind.filterset.base_filters["q"].search_fields),
                "list_filter": [name for name in kind.filterset.base_filters if name not in PERIOD_FILTERS],
            },
        ),
    )
