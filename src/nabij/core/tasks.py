"""Long work of the core app, run through nabij.core.taskqueue (a page enqueues, a worker runs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from nabij.accounts.models import User
from nabij.core.services import AreaImportError, areas_import
from nabij.core.taskqueue import Progress, TaskError, task


@task("core.import_areas")
def import_areas(
    *,
    progress: Progress,
    path: str | None = None,
    stored_name: str | None = None,
    dry_run: bool = False,
    municipality_code: str | None = None,
    actor_id: int | None = None,
) -> dict[str, Any]:
    """Import a CBS area file: an upload kept in the default storage (`stored_name`, removed
    afterwards) or a file at `path`; either must be readable by the worker.

    A bad file ends the run as failed with the report as its message and the problems, row by
    row, as its result, so the page can show them as a table.
    """
    actor = User.objects.get(pk=actor_id) if actor_id is not None else None
    if stored_name is not None:
        file = Path(stored_name)
        try:
            with default_storage.open(stored_name, "rb") as stored:
                data = stored.read()
        except OSError as exc:
            raise TaskError(_("Het geüploade bestand %(name)s is er niet meer.") % {"name": file.name}) from exc
        finally:
            # The upload has done its work (or can't); it should not linger on disk.
            if default_storage.exists(stored_name):
                default_storage.delete(stored_name)
    elif path is not None:
        file = Path(path)
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise TaskError(
                _("Het bestand %(name)s kan niet worden gelezen: %(error)s")
                % {"name": file.name, "error": exc.strerror or exc}
            ) from exc
    else:
        raise TaskError(_("Er is geen bestand om in te lezen."))
    try:
        result = areas_import(
            actor=actor,
            data=data,
            filename=file.name,
            municipality_code=municipality_code,
            dry_run=dry_run,
            progress=progress,
        )
    except AreaImportError as exc:
        raise TaskError(
            exc.report(limit=1).splitlines()[0],
            result={"problems": [problem.as_dict() for problem in exc.problems]},
        ) from exc
    return result.as_dict()
