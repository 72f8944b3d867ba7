"""Long work of the social map, run through nabij.core.taskqueue (a page enqueues, a worker runs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from nabij.accounts.models import User
from nabij.core.models import Municipality
from nabij.core.taskqueue import Progress, TaskError, task
from nabij.socialmap.imports import ActivityImportError, activities_import


def _read_upload(stored_name: str) -> bytes:
    try:
        with default_storage.open(stored_name, "rb") as stored:
            data: bytes = stored.read()
    except OSError as exc:
        raise TaskError(
            _("Het geüploade bestand %(name)s is er niet meer.") % {"name": Path(stored_name).name}
        ) from exc
    finally:
        # The upload has done its work (or can't); it should not linger on disk.
        if default_storage.exists(stored_name):
            default_storage.delete(stored_name)
    return data


@task("socialmap.import_activities")
def import_activities(
    *,
    progress: Progress,
    municipality_code: str,
    stored_name: str | None = None,
    path: str | None = None,
    dry_run: bool = False,
    actor_id: int | None = None,
) -> dict[str, Any]:
    """Import a CSV file of activities: an upload in the default storage (`stored_name`, removed
    afterwards) or a file at `path`. Runs in the scope of the run's municipality.

    A bad file ends the run as failed, with the report's first line as its message and every
    problem (line, column, value, reason) in its result, so the progress page shows them as a table.
    """
    municipality = Municipality.objects.get(code=municipality_code)
    actor = User.objects.get(pk=actor_id) if actor_id is not None else None
    if stored_name is not None:
        data = _read_upload(stored_name)
    elif path is not None:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise TaskError(
                _("Het bestand %(name)s kan niet worden gelezen: %(error)s")
                % {"name": Path(path).name, "error": exc.strerror or exc}
            ) from exc
    else:
        raise TaskError(_("Er is geen bestand om in te lezen."))
    try:
        result = activities_import(
            actor=actor, municipality=municipality, data=data, dry_run=dry_run, progress=progress
        )
    except ActivityImportError as exc:
        raise TaskError(
            exc.report(limit=0).splitlines()[0],
            result={"problems": [problem.as_dict() for problem in exc.problems]},
        ) from exc
    # The last message is what the progress page says under the bar: the summary in words.
    progress.start(result.checked, result.summary())
    progress.advance(result.checked)
    return result.as_dict()
