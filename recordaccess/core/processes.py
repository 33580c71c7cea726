"""For commands that start other processes of ours (benchmarks): they must use the same database."""

from django.db import connection


def database_url() -> str:
    """The database this process is using, as DATABASE_URL, for a child process to use too."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return f"sqlite:///{db['NAME']}"
