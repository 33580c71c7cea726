"""The `recordaccess` console script: Django's manage.py for this service."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recordaccess.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        # Settings refused to start (production without a secret key, say): say why, without a traceback.
        print(f"recordaccess: {error}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
