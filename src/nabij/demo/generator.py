"""Generate the fictitious municipality Voorbeeldstad (GM9999) by running every registered demo step.

Deterministic: the same seed and scale give the same codes, names, boundaries, figures and
accounts (database keys, pseudonyms and timestamps aside). There is no "replace": every role
granted in the demo is in the audit log, which is append-only and keeps the municipality from
being deleted (on PostgreSQL the database itself refuses), so a fresh demo needs a fresh database.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django_scopes import scope

from nabij.accounts.models import User
from nabij.core.models import Municipality
from nabij.core.taskqueue import NullProgress, Progress
from nabij.demo.logins import DEMO_EMAIL_DOMAIN, DEMO_MUNICIPALITY_CODE, DEMO_MUNICIPALITY_SLUG
from nabij.demo.registry import SCALES, DemoContext, Scale, steps


class DemoRefused(Exception):
    """The demo cannot be generated here; the message (Dutch) says why and what to do."""


@dataclass
class _StepProgress:
    """Gives each step its own bar and completes it, also for steps that report nothing."""

    target: Progress
    label: str
    total: int = 0
    done: int = 0

    def start(self, total: int, message: str = "") -> None:
        self.total, self.done = total, 0
        self.target.start(total, f"{self.label}: {message}" if message else self.label)

    def advance(self, amount: int = 1, message: str | None = None) -> None:
        self.done += amount
        self.target.advance(amount, message)

    def finish(self) -> None:
        if not self.total:
            self.start(1)
        if self.done < self.total:
            self.advance(self.total - self.done)


def demo_exists() -> bool:
    return Municipality.objects.filter(Q(code=DEMO_MUNICIPALITY_CODE) | Q(slug=DEMO_MUNICIPALITY_SLUG)).exists()


def check_can_generate() -> None:
    if settings.PRODUCTION:
        raise DemoRefused(
            _(
                "De demogemeente maakt accounts met een openbaar bekend wachtwoord en hoort daarom niet in "
                "productie (NABIJ_ENV=production). Gebruik een aparte oefenomgeving."
            )
        )
    if demo_exists():
        raise DemoRefused(
            _(
                "Voorbeeldstad (GM9999) staat al in deze database. Opnieuw maken kan niet: het auditlog "
                "bewaart elke toegekende rol en mag niet worden gewist, dus de gemeente ook niet. Begin met "
                "een lege database (verwijder bijvoorbeeld het SQLite-bestand, of wijs DATABASE_URL naar een "
                "nieuwe database) en draai dit commando opnieuw."
            )
        )
    if User.objects.filter(email__iendswith=f"@{DEMO_EMAIL_DOMAIN}").exists():
        raise DemoRefused(
            _(
                "Er zijn al accounts op @%(domain)s in deze database, maar geen Voorbeeldstad. Begin met een "
                "lege database voor de demo."
            )
            % {"domain": DEMO_EMAIL_DOMAIN}
        )


def generate_demo(*, scale: str | Scale, seed: int, progress: Progress | None = None) -> DemoContext:
    """Run every demo step in one transaction: a failure leaves the database as it was."""
    check_can_generate()
    spec = SCALES[scale] if isinstance(scale, str) else scale
    progress = progress or NullProgress()
    context = DemoContext(seed=seed, scale=spec)
    registered = steps()
    with transaction.atomic():
        for number, demo_step in enumerate(registered, start=1):
            # Seeding with a string is stable across runs and Python versions (it hashes with SHA-512).
            context.rng = random.Random(f"{seed}:{demo_step.name}")  # noqa: S311 (reproducible on purpose)
            step_progress = _StepProgress(progress, f"{number}/{len(registered)} {demo_step.label}")
            context.progress = step_progress
            # Before the municipality exists the scope matches nothing, not everything.
            with scope(municipality=context.municipality if context.has_municipality else []):
                demo_step.function(context)
            step_progress.finish()
    return context
