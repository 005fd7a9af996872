from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from branches.models import Unit
from common.forms import active_filters, add_validation_errors, picker_options
from common.lists import configure, filtered

from . import services
from .forms import PasswordResetForm, RoleForm, UserCreateForm
from .lists import UserFilterSet, UserTable
from .models import Role
from .scope import Action, scope_paths
from .selectors import users_for_admin


def _require_any_admin(user) -> None:
    paths = scope_paths(user, Action.ADMINISTER)
    if paths is not None and not paths:
        # Not an administrator anywhere: the user pages do not exist for her.
        raise Http404


def _admin_units(user):
    return Unit.objects.for_user(user, Action.ADMINISTER).active().in_vi_order()


@login_required
def user_list(request):
    _require_any_admin(request.user)
    filterset = filtered(UserFilterSet, request.GET, users_for_admin(request.user))
    table = configure(request, UserTable(filterset.qs), per_page=50)
    return render(
        request,
        "accounts/user_list.html",
        {"table": table, "form": filterset.form, "chips": active_filters(filterset.form, request.GET, keep=("q",))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request):
    _require_any_admin(request.user)
    form = UserCreateForm(request.POST or None, units=_admin_units(request.user))
    if options := picker_options(request, form):  # the units matching what is typed in its picker
        return options
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Account %(username)s has been created.") % {"username": user.username})
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


def _managed_user(request, pk):
    _require_any_admin(request.user)
    return get_object_or_404(users_for_admin(request.user), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def user_detail(request, pk):
    user = _managed_user(request, pk)
    role_form = RoleForm(request.POST or None, units=_admin_units(request.user), prefix="role")
    if options := picker_options(request, role_form):
        return options
    if request.method == "POST" and role_form.is_valid():
        services.role_grant(user=user, actor=request.user, **role_form.cleaned_data)
        messages.success(request, _("The role has been saved."))
        return redirect("accounts:user_detail", pk=user.pk)
    return render(
        request,
        "accounts/user_detail.html",
        {"managed": user, "role_form": role_form, "password_form": PasswordResetForm()},
    )


@login_required
@require_POST
def user_password(request, pk):
    user = _managed_user(request, pk)
    form = PasswordResetForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        services.user_set_password(user=user, password=form.cleaned_data["password"], actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The password has been reset. Give it to the user in person."))
    return redirect("accounts:user_detail", pk=user.pk)


@login_required
@require_POST
def user_toggle_active(request, pk):
    user = _managed_user(request, pk)
    try:
        services.user_set_active(user=user, active=not user.is_active, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("accounts:user_detail", pk=user.pk)


@login_required
@require_POST
def role_revoke(request, pk, role_pk):
    user = _managed_user(request, pk)
    role = get_object_or_404(Role.objects.for_user(request.user, Action.ADMINISTER), pk=role_pk, user=user)
    services.role_revoke(role=role, actor=request.user)
    messages.success(request, _("The role has been removed."))
    return redirect("accounts:user_detail", pk=user.pk)


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        messages.success(self.request, _("Your password has been changed."))
        return super().form_valid(form)
