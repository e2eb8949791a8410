from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from cairn.accounts import services
from cairn.accounts.access import rule
from cairn.accounts.forms import TokenForm
from cairn.accounts.models import ApiToken

login_view = rule("public: sign in (throttled by django-axes)")(
    auth_views.LoginView.as_view(
        template_name="accounts/login.html", redirect_authenticated_user=True
    )
)
logout_view = rule("signed in: sign out (POST)")(auth_views.LogoutView.as_view())
password_change_view = rule("signed in: own password")(
    auth_views.PasswordChangeView.as_view(
        template_name="accounts/password_change.html",
        success_url=reverse_lazy("accounts:password_change_done"),
    )
)
password_change_done_view = rule("signed in: own password")(
    auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html")
)


NEW_TOKEN_KEY = "cairn_new_api_token"


@rule("signed in: own API tokens only")
@login_required
def tokens_view(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            _, raw = services.api_token_create(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error("name", error)
        else:
            # Post/redirect/get: the raw token survives one redirect in the session, then is gone.
            request.session[NEW_TOKEN_KEY] = raw
            return redirect("accounts:tokens")
    tokens = ApiToken.objects.filter(user=request.user)
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": tokens, "new_token": request.session.pop(NEW_TOKEN_KEY, None)},
    )


@rule("signed in: own API tokens only (404 for others')")
@login_required
@require_POST
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    services.api_token_revoke(user=request.user, token=token)
    messages.success(request, f"The token ‘{token.name}’ has been revoked.")
    return redirect("accounts:tokens")
