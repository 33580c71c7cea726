"""Files the service writes that hold patients' details (problem reports, uploaded registers, exports, letters):
readable by the service's own account alone, whatever umask the process was started with.

The modes are Django's upload settings (FILE_UPLOAD_PERMISSIONS, FILE_UPLOAD_DIRECTORY_PERMISSIONS), so kept
copies of identity documents and these files follow one rule.
"""

import os
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core import checks


def private_folder(path: str | Path) -> Path:
    """The folder, made if missing, open to the service's account only (an older, looser one is tightened)."""
    path = Path(path)
    mode = settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS
    path.mkdir(mode=mode, parents=True, exist_ok=True)
    path.chmod(mode)
    return path


def open_private(path: str | Path, mode: str = "w", **kwargs) -> IO:
    """Open `path` for writing (created or emptied) with the private file mode; `mode` is "w" or "wb"."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, settings.FILE_UPLOAD_PERMISSIONS)
    try:
        os.fchmod(fd, settings.FILE_UPLOAD_PERMISSIONS)  # a file that existed keeps its old mode otherwise
        return os.fdopen(fd, mode, **kwargs)
    except BaseException:
        os.close(fd)
        raise


def exposed(folder: Path) -> list[Path]:
    """Files and folders under `folder` that other accounts on the machine can read or enter."""
    if not folder.exists():
        return []
    paths = [folder, *folder.rglob("*")]
    return [path for path in paths if path.lstat().st_mode & 0o077]


@checks.register(checks.Tags.security, deploy=True)
def check_private_files(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Copies and reports written before files were made private keep their old modes: name them."""
    folders = [
        Path(settings.MEDIA_ROOT),
        Path(settings.VAR_DIR) / "imports",
        Path(settings.VAR_DIR) / "letters",
    ]
    found = [(folder, exposed(folder)) for folder in folders]
    return [
        checks.Warning(
            f"{len(paths)} file(s) or folder(s) under {folder} can be read by other accounts on this machine, "
            f"such as {paths[0]}.",
            hint=f"chmod -R go= {folder}",
            id="recordaccess.W001",
        )
        for folder, paths in found
        if paths
    ]
