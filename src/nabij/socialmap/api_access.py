"""Who may see and change what through the social map API, and how service errors are reported.

One rule for every endpoint, the same as on the website's pages:
- no credentials where they are needed: 401;
- a caller without any role in this municipality: 404 on everything that is not public
  (the municipality's write endpoints do not exist for them);
- what you may not see (a draft of another organisation, an archived organisation): 404;
- what you may see but not change (a published activity of another organisation): 403;
- a coordinator, admin or professional without the second factor in this session: 403
  `second-factor-required` on every change, as on the website's organiser pages.
The decisions themselves are `nabij.accounts.permissions`; the services check them again.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext

from nabij.accounts import permissions
from nabij.accounts.models import User
from nabij.core.api_types import request_municipality
from nabij.core.models import Municipality, Neighbourhood
from nabij.core.problems import SECOND_FACTOR_REQUIRED, VALIDATION_ERROR, ProblemError, field_errors_from_django
from nabij.socialmap.models import Activity, ActivityStatus, Organisation, Place

ACTIVITY_RELATED = ("organisation", "place__neighbourhood", "participation_type")


def member(request: HttpRequest) -> tuple[User, Municipality]:
    """The calling user, who must hold a role in this municipality, and the municipality.

    As on the website's organiser pages: whose role needs a second factor (coordinators,
    admins, professionals) must have passed it, or use a token made after it; organisers need none.
    """
    municipality = request_municipality(request)
    user = permissions.authenticated_user(request)
    if not permissions.is_member(user, municipality):
        raise Http404
    if not permissions.may_see_personal_data(user, request):
        raise ProblemError(
            SECOND_FACTOR_REQUIRED,
            gettext(
                "Log eerst in met je tweede stap (authenticator-app) voordat je de sociale kaart wijzigt, "
                "of gebruik een API-sleutel die je daarna hebt aangemaakt."
            ),
        )
    return user, municipality


def require(allowed: bool) -> None:
    """Refuse (403) before looking at the input: who may not act learns that first."""
    if not allowed:
        raise PermissionDenied


def organisations() -> QuerySet[Organisation]:
    return Organisation.objects.all()


def places() -> QuerySet[Place]:
    return Place.objects.select_related("organisation", "neighbourhood")


def activities() -> QuerySet[Activity]:
    return Activity.objects.select_related(*ACTIVITY_RELATED).prefetch_related("domains", "themes")


def organisation_for(request: HttpRequest, uid: UUID) -> Organisation:
    """An organisation of this municipality; an archived one only for those who may edit it."""
    request_municipality(request)
    organisation = organisations().filter(uid=uid).first()
    if organisation is None:
        raise Http404
    if organisation.archived_at is not None and not permissions.can_edit_organisation(request.user, organisation):
        raise Http404
    return organisation


def place_for(request: HttpRequest, uid: UUID) -> Place:
    """A place of this municipality; an archived one only for those who may edit its organisation."""
    request_municipality(request)
    place = places().filter(uid=uid).first()
    if place is None:
        raise Http404
    if place.archived_at is not None and not permissions.can_edit_organisation_offer(request.user, place.organisation):
        raise Http404
    return place


def activity_for(request: HttpRequest, uid: UUID) -> Activity:
    """A published activity, or a draft or archived one for those who may edit its organisation."""
    request_municipality(request)
    activity = activities().filter(uid=uid).first()
    if activity is None:
        raise Http404
    if activity.status != ActivityStatus.PUBLISHED and not permissions.can_edit_organisation_offer(
        request.user, activity.organisation
    ):
        raise Http404
    return activity


# --- input errors ------------------------------------------------------------------------------


def field_error(location: Sequence[str], message: str, code: str) -> dict[str, Any]:
    return {"location": list(location), "message": message, "code": code}


def raise_if(errors: list[dict[str, Any]]) -> None:
    if errors:
        raise ProblemError(VALIDATION_ERROR, errors=errors)


@contextmanager
def reported_as_body_errors(
    locations: Mapping[str, Sequence[str]] | None = None, *, field: str | None = None
) -> Iterator[None]:
    """A service's ValidationError as a 422 whose locations name the JSON the client sent.

    `locations` maps model field names to their path in the body (`dtstart` → schedule, dtstart),
    and NON_FIELD_ERRORS to the field a unique constraint is about;
    `field` names the body field for an error the service did not key.
    """
    try:
        yield
    except DjangoValidationError as error:
        errors = field_errors_from_django(error, field=field)
        for item in errors:
            # A non-field error (a unique constraint) has the location ["body"], keyed "__all__".
            key = item["location"][1] if len(item["location"]) == 2 else NON_FIELD_ERRORS
            if locations and key in locations:
                item["location"] = ["body", *locations[key]]
        raise ProblemError(VALIDATION_ERROR, errors=errors) from None


def place_in_body(uid: UUID | None, location: Sequence[str] = ("body", "place")) -> tuple[Place | None, list[Any]]:
    """The place a body names, or an error: unknown and archived places cannot be chosen."""
    if uid is None:
        return None, []
    place = Place.objects.filter(uid=uid, archived_at__isnull=True).first()
    if place is None:
        return None, [field_error(location, gettext("Deze plek bestaat niet in deze gemeente."), "unknown")]
    return place, []


def neighbourhood_in_body(code: str | None) -> tuple[Neighbourhood | None, list[Any]]:
    if code is None:
        return None, []
    neighbourhood = Neighbourhood.objects.filter(code=code).first()
    if neighbourhood is None:
        message = gettext("Buurt %(code)s hoort niet bij deze gemeente.") % {"code": code}
        return None, [field_error(("body", "neighbourhood"), message, "unknown")]
    return neighbourhood, []


def unknown_codes(model: Any, codes: Sequence[str], location: Sequence[str]) -> list[dict[str, Any]]:
    """An error naming the codes that are not in this municipality's catalogue, if any."""
    if not codes:
        return []
    known = set(model.objects.filter(code__in=set(codes)).values_list("code", flat=True))
    unknown = sorted(set(codes) - known)
    if not unknown:
        return []
    message = gettext("Onbekende code: %(codes)s.") % {"codes": ", ".join(unknown)}
    return [field_error(location, message, "unknown_code")]
