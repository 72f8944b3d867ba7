"""Every write on accounts, roles and API tokens. Keyword-only, atomic, audited."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from nabij.accounts import permissions
from nabij.accounts.models import ApiToken, Role, RoleAssignment, User
from nabij.core.audit import audit
from nabij.core.models import AuditAction, AuditPurpose, Municipality
from nabij.socialmap.models import Organisation

TOKEN_PREFIX = "nabij_"
# Tokens of people who need a second factor: valid 90 days unless they choose, at most a year.
SECOND_FACTOR_TOKEN_DAYS = 90
SECOND_FACTOR_TOKEN_MAX_DAYS = 366


def user_create(*, email: str, display_name: str, password: str | None, language: str = "nl") -> User:
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email=email).exists():
        raise ValidationError({"email": _("Er is al een account met dit e-mailadres.")})
    user = User(email=email, display_name=display_name, preferred_language=language)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def role_grant(
    *,
    actor: Any,
    user: User,
    municipality: Municipality,
    role: Role | str,
    organisation: Organisation | None = None,
) -> RoleAssignment:
    """Give a user a role in a municipality. `actor` None means the system (demo, import)."""
    if actor is not None and not permissions.can_manage_roles(actor, municipality):
        raise PermissionDenied
    if role == Role.ORGANISER and organisation is None:
        raise ValidationError({"organisation": _("Een organisator hoort bij een organisatie.")})
    if role != Role.ORGANISER and organisation is not None:
        raise ValidationError({"organisation": _("Alleen een organisator hoort bij een organisatie.")})
    if organisation is not None and organisation.municipality_id != municipality.pk:
        raise ValidationError({"organisation": _("Deze organisatie hoort niet bij deze gemeente.")})
    with scopes_disabled():
        assignment, created = RoleAssignment.objects.get_or_create(
            user=user,
            municipality=municipality,
            role=role,
            organisation=organisation,
            defaults={"granted_by": actor},
        )
    if created:
        audit(
            actor=actor,
            municipality=municipality,
            action=AuditAction.CREATE,
            purpose=AuditPurpose.ADMINISTRATION,
            record=assignment,
            detail={"role": str(role), "user": user.pseudonym},
        )
    permissions.forget_roles(user)
    return assignment


@transaction.atomic
def role_revoke(*, actor: Any, assignment: RoleAssignment) -> None:
    municipality = assignment.municipality
    if actor is not None and not permissions.can_manage_roles(actor, municipality):
        raise PermissionDenied
    audit(
        actor=actor,
        municipality=municipality,
        action=AuditAction.DELETE,
        purpose=AuditPurpose.ADMINISTRATION,
        record=assignment,
        detail={"role": assignment.role, "user": assignment.user.pseudonym},
    )
    with scopes_disabled():
        RoleAssignment.objects.filter(pk=assignment.pk).delete()
    permissions.forget_roles(assignment.user)


def _hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(
    *, user: User, name: str, verified: bool, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is never stored and shown only now.

    `verified`: whether the session that asks has passed the second factor; users whose
    roles require one cannot create tokens without it, since a token skips the check.
    """
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Geef de sleutel een naam, zodat je hem later herkent.")})
    if len(name) > 80:
        raise ValidationError({"name": _("De naam mag hoogstens 80 tekens lang zijn.")})
    if permissions.requires_second_factor(user) and not verified:
        raise PermissionDenied(_("Log eerst in met je tweede stap (authenticator-app)."))
    now = timezone.now()
    if expires_at is not None and expires_at <= now:
        raise ValidationError({"expires_at": _("De vervaldatum moet in de toekomst liggen.")})
    if verified and permissions.requires_second_factor(user):
        # Such a token stands in for the second factor, so it may not live for ever.
        if expires_at is None:
            expires_at = now + timedelta(days=SECOND_FACTOR_TOKEN_DAYS)
        elif expires_at > now + timedelta(days=SECOND_FACTOR_TOKEN_MAX_DAYS):
            raise ValidationError(
                {"expires_at": _("Je sleutel mag hoogstens een jaar geldig zijn, omdat je met persoonsgegevens werkt.")}
            )
    prefix = secrets.token_hex(4)
    key = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        key_hash=_hash_key(key),
        expires_at=expires_at,
        created_with_second_factor=verified,
    )
    return token, key


def api_token_revoke(*, user: User, token: ApiToken) -> None:
    if token.user_id != user.pk:
        raise PermissionDenied
    if token.revoked_at is None:
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def api_tokens_revoke_all(*, user: User) -> int:
    """Revoke every active token of a user, e.g. after a password reset: whoever took over the
    account may have made tokens, and those would outlive the new password."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def api_token_authenticate(key: str) -> ApiToken | None:
    """The active token for a presented key, or None. Compares hashes, never plain keys."""
    if not key.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.active().select_related("user").filter(key_hash=_hash_key(key)).first()
    if token is None or not token.user.is_active:
        return None
    # Updated at most once a minute: every API call writing a row would serialise them.
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
