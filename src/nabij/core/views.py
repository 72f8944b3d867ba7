"""Pages of the core app: landing, municipality home, audit log, directory, task progress."""

from __future__ import annotations

from uuid import UUID

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django_scopes import scopes_disabled

from nabij.accounts import permissions
from nabij.accounts.decorators import municipality_page
from nabij.accounts.selectors import audit_log_for, directory_for
from nabij.core import selectors, services
from nabij.core.forms import AreaImportForm, AuditFilterForm
from nabij.core.models import Municipality, TaskRun


def landing(request: HttpRequest) -> HttpResponse:
    municipalities = list(selectors.active_municipalities())
    if len(municipalities) == 1:
        return redirect("core:municipality_home", municipality=municipalities[0].slug)
    return render(request, "core/landing.html", {"municipalities": municipalities})


@municipality_page()
def municipality_home(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    return render(
        request,
        "core/municipality_home.html",
        {"municipality": municipality, "districts": selectors.districts_with_counts()},
    )


@municipality_page(*permissions.AUDIT_LOG_READERS, personal_data=True)
def audit_log(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_log_for(actor=request.user, municipality=municipality, **filters)
    page = Paginator(entries.select_related("actor"), 50).get_page(request.GET.get("page"))
    template = "core/_audit_rows.html" if request.headers.get("HX-Request") else "core/audit_log.html"
    return render(request, template, {"municipality": municipality, "form": form, "page": page})


@municipality_page(*permissions.DIRECTORY_READERS, personal_data=True)
def directory(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    return render(
        request,
        "core/directory.html",
        {"municipality": municipality, "assignments": directory_for(actor=request.user, municipality=municipality)},
    )


@municipality_page(*permissions.AREA_IMPORTERS, personal_data=True)
def area_import(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = AreaImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        run = services.area_import_start(
            actor=request.user,
            municipality=municipality,
            upload=form.cleaned_data["file"],
            dry_run=form.cleaned_data["dry_run"],
        )
        return redirect("task_progress", run_id=run.pk)
    return render(request, "core/area_import.html", {"municipality": municipality, "form": form})


def task_progress(request: HttpRequest, run_id: UUID) -> HttpResponse:
    with scopes_disabled():
        run = get_object_or_404(TaskRun.objects.select_related("municipality"), pk=run_id)
    if not permissions.can_view_task(request.user, run):
        raise Http404
    # A run's message and result may describe people (an import report, later a matching round).
    if not permissions.may_see_personal_data(request.user, request):
        return redirect(f"{reverse('accounts:second_factor')}?{urlencode({'next': request.get_full_path()})}")
    template = "core/_task_progress.html" if request.headers.get("HX-Request") else "core/task_progress.html"
    return render(request, template, {"run": run})
