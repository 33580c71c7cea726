from pathlib import Path

from django.tasks import task

from recordaccess.audit.services import Actor
from recordaccess.patients.importer import ImportStopped
from recordaccess.patients.models import RegisterImport
from recordaccess.patients.register import UnusableFile
from recordaccess.patients.services import run_register_import


@task
def import_uploaded_register(import_id: int, path: str) -> str:
    """Run an import started from the upload page; the page follows its progress on the RegisterImport row."""
    run = RegisterImport.objects.select_related("practice").get(pk=import_id)
    try:
        run_register_import(
            actor=Actor.system(f"upload by {run.started_by}"),
            practice=run.practice,
            path=path,
            full=run.full,
            dry_run=run.dry_run,
            run=run,
        )
    except (UnusableFile, ImportStopped) as error:
        return str(error)  # recorded on the run and in the audit trail; the page shows it
    finally:
        Path(path).unlink(missing_ok=True)
    return "completed"
