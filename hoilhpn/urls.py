from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from accounts.views import LoginView, PasswordChangeView

from . import views

admin.autodiscover()

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("help/", views.guide, name="help"),
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", RedirectView.as_view(url=static("img/favicon.svg"), permanent=True), name="favicon"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", PasswordChangeView.as_view(), name="password_change"),
    path("units/", include("branches.urls")),
    path("users/", include("accounts.urls")),
    path("members/", include("members.urls")),
    path("imports/", include("imports.urls")),
    path("supervision/", include("supervision.urls")),
    path("reports/", include("reports.urls")),
    path("cadres/", include("cadres.urls")),
    path("programmes/", include("programmes.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "hoilhpn.views.not_found"
handler500 = "hoilhpn.views.server_error"
