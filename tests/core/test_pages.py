"""The core pages: who sees what, filters, htmx partials, task progress and the language switch."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from nabij.core.audit import audit
from nabij.core.models import AuditAction, AuditEntry, AuditPurpose, TaskRun, TaskStatus
from nabij.testing.factories import RoleAssignmentFactory, UserFactory
from nabij.testing.personas import Personas, login

UrlFor = Callable[[Personas], str]


def _home(personas: Personas) -> str:
    return f"/{personas.municipality_a.slug}/"


def _audit_url(personas: Personas) -> str:
    return f"/{personas.municipality_a.slug}/beheer/auditlog/"


def _directory_url(personas: Personas) -> str:
    return f"/{personas.municipality_a.slug}/beheer/mensen/"


# Landing and municipality home


def test_landing_lets_you_choose_a_municipality(client: Client, personas: Personas) -> None:
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="/{personas.municipality_a.slug}/"' in page
    assert f'href="/{personas.municipality_b.slug}/"' in page


def test_landing_goes_straight_to_the_only_municipality(client: Client, personas: Personas) -> None:
    with scopes_disabled():
        personas.municipality_b.is_active = False
        personas.municipality_b.save()
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == _home(personas)


def test_home_explains_nabij_and_lists_districts(client: Client, personas: Personas) -> None:
    response = client.get(_home(personas))
    assert response.status_code == 200
    page = response.content.decode()
    assert "drempels" in page and "maatje" in page and "kleine groep" in page
    assert personas.district_a.name in page
    assert personas.district_b.name not in page  # another municipality's district
    assert "10.000" in page  # the district's population, written the Dutch way
    # An anonymous visitor gets no links to pages for workers.
    assert _audit_url(personas) not in page and _directory_url(personas) not in page


@pytest.mark.parametrize(
    ("client_fixture", "sees_directory", "sees_audit_log"),
    [
        ("resident_client", False, False),
        ("professional_client", True, False),
        ("coordinator_client", True, True),
        ("outsider_client", False, False),
    ],
)
def test_home_links_to_the_pages_of_your_roles(
    request: pytest.FixtureRequest,
    personas: Personas,
    client_fixture: str,
    sees_directory: bool,
    sees_audit_log: bool,
) -> None:
    client: Client = request.getfixturevalue(client_fixture)
    page = client.get(_home(personas)).content.decode()
    assert (f'href="{_directory_url(personas)}"' in page) is sees_directory
    assert (f'href="{_audit_url(personas)}"' in page) is sees_audit_log


def test_unknown_municipality_is_404(client: Client, personas: Personas) -> None:
    assert client.get("/bestaat-niet/").status_code == 404


# Who may open the audit log and the contact list


@pytest.mark.parametrize("url", [_audit_url, _directory_url])
def test_anonymous_visitor_is_sent_to_log_in(client: Client, personas: Personas, url: UrlFor) -> None:
    response = client.get(url(personas))
    assert response.status_code == 302
    assert response["Location"] == f"/account/inloggen/?next={url(personas)}"


@pytest.mark.parametrize(
    ("client_fixture", "url", "status"),
    [
        ("resident_client", _audit_url, 404),
        ("resident_client", _directory_url, 404),
        ("professional_client", _audit_url, 404),
        ("professional_client", _directory_url, 200),
        ("coordinator_client", _audit_url, 200),
        ("coordinator_client", _directory_url, 200),
        # A professional of municipality B must not even learn that A's pages exist.
        ("outsider_client", _audit_url, 404),
        ("outsider_client", _directory_url, 404),
    ],
)
def test_worker_pages_by_role(
    request: pytest.FixtureRequest, personas: Personas, client_fixture: str, url: UrlFor, status: int
) -> None:
    client: Client = request.getfixturevalue(client_fixture)
    assert client.get(url(personas)).status_code == status


@pytest.mark.parametrize("url", [_audit_url, _directory_url])
def test_second_factor_comes_first(personas: Personas, url: UrlFor) -> None:
    client = login(Client(), personas.coordinator, second_factor=False)
    response = client.get(url(personas))
    assert response.status_code == 302
    assert response["Location"].startswith("/account/tweede-stap/?next=")
    assert url(personas).replace("/", "%2F") in response["Location"]


# The contact list


def test_directory_lists_the_people_who_work_here(professional_client: Client, personas: Personas) -> None:
    page = professional_client.get(_directory_url(personas)).content.decode()
    for person in (personas.professional, personas.coordinator, personas.admin):
        assert person.display_name in page
        assert f"mailto:{person.email}" in page
    assert personas.resident.display_name not in page  # residents are not in the contact list
    assert personas.outsider.display_name not in page  # nor is anyone from municipality B


def test_reading_the_directory_is_audited(professional_client: Client, personas: Personas) -> None:
    professional_client.get(_directory_url(personas))
    with scope(municipality=personas.municipality_a):
        entry = AuditEntry.objects.get(record_type="accounts.directory")
    assert entry.actor_ref == personas.professional.pseudonym
    # Which people were shown, by pseudonym only: the contact list holds the working roles.
    assert personas.coordinator.pseudonym in entry.detail["people"]
    assert personas.resident.pseudonym not in entry.detail["people"]
    assert personas.coordinator.email not in str(entry.detail)


# The audit log


def _entries(personas: Personas, count: int, action: str = AuditAction.READ) -> None:
    for _ in range(count):
        audit(
            actor=personas.professional,
            municipality=personas.municipality_a,
            action=action,
            purpose=AuditPurpose.SUPPORT,
            record=personas.resident,
        )


def test_audit_log_shows_pseudonyms_not_names(coordinator_client: Client, personas: Personas) -> None:
    _entries(personas, 1, AuditAction.CHANGE)
    page = coordinator_client.get(_audit_url(personas)).content.decode()
    assert personas.professional.pseudonym in page
    assert personas.resident.pseudonym in page
    assert personas.professional.display_name not in page
    assert personas.resident.display_name not in page
    assert "gewijzigd" in page and "ondersteuning en matching" in page


def test_audit_log_filters_by_action(coordinator_client: Client, personas: Personas) -> None:
    _entries(personas, 2, AuditAction.CHANGE)
    _entries(personas, 3, AuditAction.DELETE)
    page = coordinator_client.get(_audit_url(personas), {"action": AuditAction.DELETE}).content.decode()
    assert "3 regels gevonden" in page
    assert "verwijderd" in page.split("<tbody", 1)[1]
    assert "gewijzigd" not in page.split("<tbody", 1)[1]


def test_audit_log_refuses_a_start_after_the_end(coordinator_client: Client, personas: Personas) -> None:
    today = timezone.localdate()
    response = coordinator_client.get(
        _audit_url(personas), {"since": today.isoformat(), "until": (today - dt.timedelta(days=1)).isoformat()}
    )
    assert response.status_code == 200
    assert "De begindatum ligt na de einddatum." in response.content.decode()


def test_audit_log_htmx_request_gets_only_the_results(coordinator_client: Client, personas: Personas) -> None:
    _entries(personas, 2, AuditAction.CHANGE)
    response = coordinator_client.get(_audit_url(personas), {"action": "change"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert "<table" in page
    # The new count goes into the live region above the results.
    assert 'id="audit-count" hx-swap-oob="innerHTML"' in page
    assert "2 regels gevonden" in page


def test_audit_log_pages_keep_the_filter(coordinator_client: Client, personas: Personas) -> None:
    _entries(personas, 60, AuditAction.CHANGE)
    first = coordinator_client.get(_audit_url(personas), {"action": "change"}).content.decode()
    assert "60 regels gevonden" in first
    assert "?action=change&amp;page=2" in first
    second = coordinator_client.get(_audit_url(personas), {"action": "change", "page": 2})
    assert "Pagina 2 van 2" in second.content.decode()
    assert second.context["page"].object_list.__len__() == 10


# Task progress


@pytest.fixture
def run(personas: Personas) -> TaskRun:
    return TaskRun.objects.create(
        name="core.import_areas",
        label="Buurten inlezen",
        created_by=personas.coordinator,
        municipality=personas.municipality_a,
        status=TaskStatus.RUNNING,
        progress_done=3,
        progress_total=12,
        message="Buurten controleren",
    )


def test_running_task_shows_progress_and_keeps_polling(coordinator_client: Client, run: TaskRun) -> None:
    response = coordinator_client.get(f"/taken/{run.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<progress class="nabij-progress" max="100" value="25"' in page
    assert "25% klaar" in page and "Buurten controleren" in page
    assert 'hx-trigger="every 1s"' in page
    assert '<meta http-equiv="refresh" content="2">' in page  # without JavaScript


def test_task_progress_partial_for_htmx(coordinator_client: Client, run: TaskRun) -> None:
    response = coordinator_client.get(f"/taken/{run.pk}/", headers={"HX-Request": "true"})
    page = response.content.decode()
    assert "<html" not in page and "<progress" in page and 'hx-trigger="every 1s"' in page


def test_finished_task_stops_polling_and_shows_the_result(coordinator_client: Client, run: TaskRun) -> None:
    run.status = TaskStatus.DONE
    run.result = {"neighbourhoods": {"created": 12}, "dry_run": False}
    run.save()
    response = coordinator_client.get(f"/taken/{run.pk}/", headers={"HX-Request": "true"})
    page = response.content.decode()
    assert "hx-trigger" not in page and 'http-equiv="refresh"' not in page
    assert "De taak is klaar." in page
    assert "Neighbourhoods" in page and "&quot;created&quot;: 12" in page
    assert 'id="task-announcement" hx-swap-oob="innerHTML"' in page


def test_failed_task_shows_its_message(coordinator_client: Client, run: TaskRun) -> None:
    run.status = TaskStatus.FAILED
    run.message = "Regel 4: de buurtcode klopt niet."
    run.save()
    page = coordinator_client.get(f"/taken/{run.pk}/").content.decode()
    assert "De taak is niet gelukt." in page and "Regel 4: de buurtcode klopt niet." in page
    assert 'http-equiv="refresh"' not in page


def test_task_of_someone_else_is_404(
    client: Client, resident_client: Client, outsider_client: Client, run: TaskRun, personas: Personas
) -> None:
    assert resident_client.get(f"/taken/{run.pk}/").status_code == 404
    assert outsider_client.get(f"/taken/{run.pk}/").status_code == 404
    analyst = UserFactory.create()
    RoleAssignmentFactory.create(user=analyst, municipality=personas.municipality_a, role="analyst")
    assert login(Client(), analyst).get(f"/taken/{run.pk}/").status_code == 404
    assert client.get(f"/taken/{run.pk}/").status_code == 404


def test_task_page_needs_the_second_factor(personas: Personas, run: TaskRun) -> None:
    response = login(Client(), personas.coordinator, second_factor=False).get(f"/taken/{run.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/tweede-stap/")


# Language


def test_language_switch_changes_the_page_language(client: Client, personas: Personas) -> None:
    dutch = client.get(_home(personas)).content.decode()
    assert '<html lang="nl"' in dutch and "Welkom bij Nabij" in dutch

    response = client.post("/i18n/setlang/", {"language": "en", "next": _home(personas)})
    assert response.status_code == 302
    assert response["Location"] == _home(personas)

    english = client.get(_home(personas)).content.decode()
    assert '<html lang="en"' in english
    assert "Welcome to Nabij" in english and "Welkom bij Nabij" not in english
    # The switch back names Dutch in Dutch.
    assert 'lang="nl">Nederlands</button>' in english
