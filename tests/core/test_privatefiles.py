"""Files that hold patients' details are open to the service's account only; older ones are named by the deploy check."""

import os
import stat

from django.core import checks

from recordaccess.core.privatefiles import open_private, private_folder


def test_a_private_file_and_its_folder_are_0600_and_0700_whatever_the_umask_or_an_older_mode(tmp_path):
    folder = tmp_path / "imports"
    folder.mkdir(mode=0o755)
    old = folder / "report.csv"
    old.write_text("old")
    old.chmod(0o644)
    previous = os.umask(0)
    try:
        with open_private(private_folder(folder) / "report.csv") as stream:
            stream.write("new")
    finally:
        os.umask(previous)
    assert old.read_text() == "new"
    assert (stat.S_IMODE(old.stat().st_mode), stat.S_IMODE(folder.stat().st_mode)) == (0o600, 0o700)


def test_the_deploy_check_names_copies_kept_before_they_were_made_private(settings):
    def warnings():
        return [
            m
            for m in checks.run_checks(tags=[checks.Tags.security], include_deployment_checks=True)
            if m.id == "recordaccess.W001"
        ]

    assert [w.msg for w in warnings()] == []
    folder = settings.MEDIA_ROOT / "identity" / "2025" / "01"
    folder.mkdir(parents=True)
    (folder / "R-1.pdf").write_bytes(b"%PDF")
    for path in (settings.MEDIA_ROOT, folder.parent.parent, folder.parent, folder):
        path.chmod(0o700)
    (folder / "R-1.pdf").chmod(0o644)
    [warning] = warnings()
    assert str(folder / "R-1.pdf") in warning.msg and warning.hint == f"chmod -R go= {settings.MEDIA_ROOT}"
    (folder / "R-1.pdf").chmod(0o600)
    assert warnings() == []
