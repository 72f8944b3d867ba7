"""Page-number pagination for every list in the API: `?page=2&page_size=50`.

The response carries `count`, absolute `next`/`previous` links (other query parameters kept,
so filters survive paging) and `results`. Use it as `@paginate(PageNumberPagination)`.
"""

from __future__ import annotations

import math
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Schema
from ninja.pagination import PaginationBase
from pydantic import ConfigDict

from nabij.core.problems import NOT_FOUND, ProblemError

DEFAULT_PAGE_SIZE = 50
# Large enough for a map layer's worth of rows, small enough that one request stays cheap.
MAX_PAGE_SIZE = 200


def _describe_results(schema: dict[str, Any], model: type) -> None:
    # Ninja builds each Paged<Item> schema by re-annotating `results`, which drops its
    # Field description; put it back in the generated JSON schema.
    results = schema.get("properties", {}).get("results")
    if isinstance(results, dict):
        results.setdefault("description", "The items on this page, in a stable order.")


class PageParams(Schema):
    page: int = Field(1, ge=1, description="Page number, starting at 1.")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"Items per page, at most {MAX_PAGE_SIZE}."
    )


class Page(Schema):
    """What every list answers; Ninja derives Paged<Item> schemas from it."""

    model_config = ConfigDict(json_schema_extra=_describe_results)

    count: int = Field(description="Number of items on all pages together.")
    next: str | None = Field(description="Absolute URL of the next page; null on the last page.")
    previous: str | None = Field(description="Absolute URL of the previous page; null on the first page.")
    results: list[Any]


class PageNumberPagination(PaginationBase):
    # Ninja types these as its own nested classes, but only uses them as schemas; named
    # classes give the OpenAPI components readable names instead of "Input".
    Input = PageParams  # type: ignore[assignment]
    Output = Page  # type: ignore[assignment]
    items_attribute = "results"

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: PageParams, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        count = self._items_count(queryset)
        page, page_size = pagination.page, pagination.page_size
        pages = max(1, math.ceil(count / page_size))
        if page > pages:
            raise ProblemError(
                NOT_FOUND,
                gettext("Pagina %(page)s bestaat niet; er zijn %(pages)s pagina's.") % {"page": page, "pages": pages},
            )
        offset = (page - 1) * page_size
        return {
            "count": count,
            "next": _page_url(request, page + 1) if page < pages else None,
            "previous": _page_url(request, page - 1) if page > 1 else None,
            "results": queryset[offset : offset + page_size],
        }


def _page_url(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
