from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 still, at the lowest cost: the tests make hundreds of staff accounts, and the real cost (100 MiB a
    hash) would spend minutes on hashing alone. Production settings are untouched."""

    time_cost = 1
    memory_cost = 64
    parallelism = 1
