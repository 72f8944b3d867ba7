"""Errors get a page in the site's own style and language, not Django's bare defaults."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation


def test_unknown_page_is_a_dutch_404_in_the_layout(client: Client, db: None) -> None:
    response = client.get("/bestaat-niet/ook-niet/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in page
    assert 'href="#main"' in page  # the normal layout, with its skip link


def test_unknown_page_in_english(client: Client, db: None) -> None:
    response = client.get("/bestaat-niet/ook-niet/", headers={"accept-language": "en"})
    assert "This page does not exist" in response.content.decode()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_server_error_page_renders_without_a_request(language: str) -> None:
    # Django renders 500.html with an empty context; it must not need the request or the database.
    with translation.override(language):
        page = render_to_string("500.html")
    assert ("Er ging iets mis" if language == "nl" else "Something went wrong") in page
    assert f'lang="{language}"' in page
