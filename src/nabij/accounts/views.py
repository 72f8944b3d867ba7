"""Account pages: second factor, my account, personal API tokens."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from nabij.accounts import permissions, second_factor, selectors, services
from nabij.accounts.forms import ApiTokenForm, TokenForm
from nabij.accounts.models import ApiToken


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's reset, plus: the account's API tokens stop working with the old password."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        services.api_tokens_revoke_all(user=form.user)
        return response


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("accounts:my_account")


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    # Inline in HTML, the XML declaration is invalid; the <svg> element is all the page needs.
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]


@never_cache  # the set-up page shows the secret; no browser or proxy may keep a copy
@login_required
def second_factor_view(request: HttpRequest) -> HttpResponse:
    """Verify with TOTP; on first use, set up the authenticator app with a QR code."""
    user = permissions.authenticated_user(request)
    confirmed = second_factor.confirmed_device(user)
    setting_up = confirmed is None
    device = second_factor.pending_device(user) if confirmed is None else confirmed
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        passed = (
            second_factor.enrol(user=user, device=device, token=token)
            if setting_up
            else second_factor.verify(device=device, token=token)
        )
        if passed:
            otp_login(request, device)
            messages.success(request, _("Je tweede stap is gelukt."))
            return redirect(_safe_next(request))
        form.add_error("token", _("Deze code klopt niet of is verlopen. Probeer de nieuwe code."))
    context = {
        "form": form,
        "setting_up": setting_up,
        "next": _safe_next(request),
        "qr_svg": _qr_svg(device.config_url) if setting_up else "",
        "secret": _base32_secret(device) if setting_up else "",
    }
    return render(request, "accounts/second_factor.html", context)


def _base32_secret(device: TOTPDevice) -> str:
    from base64 import b32encode

    return b32encode(device.bin_key).decode().rstrip("=")


def _render_my_account(request: HttpRequest, token_form: ApiTokenForm, status: int = 200) -> HttpResponse:
    user = permissions.authenticated_user(request)
    return render(
        request,
        "accounts/my_account.html",
        {
            "roles": selectors.own_role_assignments(user),
            "tokens": selectors.api_tokens_of(user),
            "token_form": token_form,
            "needs_second_factor": permissions.requires_second_factor(request.user),
            "verified": permissions.has_passed_second_factor(request.user),
        },
        status=status,
    )


@login_required
def my_account(request: HttpRequest) -> HttpResponse:
    return _render_my_account(request, ApiTokenForm())


@never_cache  # the answer shows the new key once; it must not be kept in any cache
@login_required
@require_POST
def api_token_create_view(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        expires = form.cleaned_data.get("expires_at")
        expires_at = timezone.make_aware(dt.datetime.combine(expires, dt.time.max)) if expires is not None else None
        try:
            token, key = services.api_token_create(
                user=permissions.authenticated_user(request),
                name=form.cleaned_data["name"],
                verified=permissions.has_passed_second_factor(request.user),
                expires_at=expires_at,
            )
        except PermissionDenied:
            return redirect(
                f"{reverse('accounts:second_factor')}?{urlencode({'next': reverse('accounts:my_account')})}"
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return render(request, "accounts/api_token_created.html", {"token": token, "key": key})
    return _render_my_account(request, form, status=400)


@login_required
@require_POST
def api_token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    user = permissions.authenticated_user(request)
    token = get_object_or_404(ApiToken, pk=token_id, user=user)
    services.api_token_revoke(user=user, token=token)
    messages.success(request, _("De sleutel %(name)s is ingetrokken.") % {"name": token.name})
    return redirect("accounts:my_account")
