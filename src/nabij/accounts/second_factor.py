"""The second factor (TOTP): setting up an authenticator app and checking its codes.

Views call these; the device is confirmed here, the person is told by e-mail, and every
municipality they work in gets a security entry in its audit log.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from nabij.accounts.models import RoleAssignment, User
from nabij.core.audit import audit
from nabij.core.models import AuditAction, AuditPurpose


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed device being set up; one per user, so a reload keeps the same secret."""
    device, _created = TOTPDevice.objects.get_or_create(user=user, confirmed=False, defaults={"name": "authenticator"})
    return device


def verify(*, device: TOTPDevice, token: str) -> bool:
    """django-otp throttles wrong codes (growing delays) and refuses a code used before."""
    return bool(device.verify_token(token))


@transaction.atomic
def enrol(*, user: User, device: TOTPDevice, token: str) -> bool:
    """Confirm a new authenticator app with its first code. Whoever sets one up holds the account's
    second factor from then on, so the owner is told at once, by e-mail, and it is audited."""
    if device.user_id != user.pk or device.confirmed or not verify(device=device, token=token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    with scopes_disabled():
        municipalities = {
            a.municipality for a in RoleAssignment.objects.filter(user=user).select_related("municipality")
        }
    for municipality in sorted(municipalities, key=lambda m: m.code):
        audit(
            actor=user,
            municipality=municipality,
            action=AuditAction.CREATE,
            purpose=AuditPurpose.SECURITY,
            record_type="otp_totp.totpdevice",
            record_ref=user.pseudonym,
            detail={"event": "second_factor_enrolled"},
        )
    transaction.on_commit(lambda: _tell_owner(user))
    return True


def _tell_owner(user: User) -> None:
    with translation.override(user.preferred_language):
        send_mail(
            subject=_("Nabij: er is een authenticator-app gekoppeld aan je account"),
            message=_(
                "Hallo %(name)s,\n\n"
                "Er is zojuist een authenticator-app gekoppeld aan je Nabij-account. "
                "Daarmee log je voortaan in met een code als tweede stap.\n\n"
                "Was jij dit niet? Neem dan meteen contact op met de beheerder van Nabij in je gemeente "
                "en verander je wachtwoord.\n"
            )
            % {"name": user.display_name},
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
        )
