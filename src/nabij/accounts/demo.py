"""Demo step of accounts: a login for every role, an organiser per organisation, extra residents and supporters."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.utils.text import slugify

from nabij.accounts.models import Role, User
from nabij.accounts.services import role_grant
from nabij.demo.logins import DEMO_PASSWORD, demo_email
from nabij.demo.names import NameGenerator
from nabij.demo.registry import DemoContext, step
from nabij.socialmap.models import Organisation, Sphere


@step(order=30, name="users", label="Accounts voor elke rol")
def users(ctx: DemoContext) -> None:
    names = NameGenerator(ctx.rng)
    organisations: list[Organisation] = ctx.get("organisations")
    # organiser@ acts for a residents' initiative: the organiser most pages are about.
    first_oikos = next(o for o in organisations if o.sphere == Sphere.OIKOS and o.kind != "vereniging")
    wanted: list[tuple[str, Role, Organisation | None]] = [
        (demo_email(role), role, first_oikos if role == Role.ORGANISER else None) for role in Role
    ]
    for organisation in organisations:
        if organisation is not first_oikos:
            wanted.append((demo_email(Role.ORGANISER, slugify(organisation.name)[:40]), Role.ORGANISER, organisation))
    for role, count in ((Role.RESIDENT, ctx.scale.extra_residents), (Role.SUPPORTER, ctx.scale.extra_supporters)):
        wanted += [(demo_email(role, f"{number:04d}"), role, None) for number in range(1, count + 1)]

    # Password hashing is slow on purpose (PBKDF2: about half a second); every demo account has the
    # same published password, so it is hashed once instead of thousands of times.
    password = make_password(DEMO_PASSWORD)
    accounts = [User(email=email, display_name=names.person(), password=password) for email, _r, _o in wanted]
    User.objects.bulk_create(accounts, batch_size=500)

    ctx.progress.start(len(accounts), "Rollen toekennen")
    for user, (_email, role, acts_for) in zip(accounts, wanted, strict=True):
        # Through the service, so every grant is in the audit log like a real one.
        role_grant(actor=None, user=user, municipality=ctx.municipality, role=role, organisation=acts_for)
        ctx.add(f"users:{role}", [user])
        ctx.progress.advance()
