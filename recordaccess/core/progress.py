"""A progress bar for a command reading a file: bytes read and rows so far, on a terminal only."""

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tqdm import tqdm


@contextmanager
def file_progress(path: str, *, quiet: bool) -> Iterator[Callable]:
    """Yields `progress(bytes_done, summary)` for an import to call; the bar closes however the import ends."""
    size = Path(path).stat().st_size if Path(path).is_file() else 0
    bar = tqdm(
        total=size, unit="B", unit_scale=True, desc="Importing", disable=quiet or not sys.stderr.isatty()
    )

    def progress(bytes_done, summary) -> None:
        bar.update(bytes_done - bar.n)
        bar.set_postfix(rows=f"{summary.rows:,}", refresh=False)

    try:
        yield progress
    finally:
        bar.close()
