"""Routes of the site's login and logout pages under /accounts/."""

from django.contrib.auth.views import LogoutView
from django.urls import path

from api.auth.pages import SiteLoginView

urlpatterns = [
    path("login/", SiteLoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(next_page="login"), name="logout"),
]
