"""Many new rows into one table with the database driver alone: COPY on PostgreSQL, executemany elsewhere.

For the few places where the ORM's per-object work is most of the cost (a register import, a campaign's
messages). The SQL is built from the model's own quoted names; every value is a bound parameter.
"""

from django.db import connection


class BulkInsert:
    def __init__(self, model, columns: list[str]):
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        column_list = ", ".join(map(quote, columns))
        self.columns = columns
        self.insert_sql = f"INSERT INTO {table} ({column_list}) VALUES ({', '.join(['%s'] * len(columns))})"
        self.copy_sql = f"COPY {table} ({column_list}) FROM STDIN"

    def write(self, cursor, rows) -> None:
        """Insert `rows` (sequences in the order of `columns`) through a Django cursor."""
        if connection.vendor == "postgresql":
            # The driver's own cursor, so its errors are turned into Django's DatabaseError by hand.
            with connection.wrap_database_errors, cursor.cursor.copy(self.copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(self.insert_sql, rows)
