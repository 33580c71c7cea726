"""See models.py for what this app holds."""
