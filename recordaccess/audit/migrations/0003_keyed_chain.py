"""Key the audit chain: a scheme per entry, and one keyed entry that seals the entries written before.

Entries already written keep their plain SHA-256 hashes (scheme empty): rewriting them would be the very change
the trail exists to catch. The keyed entry appended here covers the last of them through its previous-hash
field, so from now on changing any older entry breaks the chain at that seal (docs/decisions/0004).
"""

from django.db import migrations, models
from django.utils import timezone

from recordaccess.audit.chain import HMAC_SHA256, canonical_json, entry_hash


def seal_unkeyed_entries(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    AuditHead = apps.get_model("audit", "AuditHead")
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None or head.last_seq == 0:
        return
    fields = {
        "scheme": HMAC_SHA256,
        "seq": head.last_seq + 1,
        "at": timezone.now(),
        "practice_ods": "",
        "actor_id": None,
        "actor": "recordaccess migrate",
        "ip_address": None,
        "action": "audit.chain_keyed",
        "object_type": "",
        "object_id": "",
        "patient_id": None,
        "detail": canonical_json({"unkeyed_entries": head.last_seq}),
    }
    digest = entry_hash(prev_hash=head.last_hash, **fields)
    AuditEntry.objects.create(**fields, prev_hash=head.last_hash, hash=digest)
    AuditHead.objects.filter(pk=1).update(last_seq=fields["seq"], last_hash=digest)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="scheme",
            field=models.PositiveSmallIntegerField(
                help_text="How the hash was made: 1 is HMAC-SHA256 with AUDIT_KEY; empty is unkeyed (older).",
                null=True,
            ),
        ),
        migrations.RunPython(seal_unkeyed_entries, migrations.RunPython.noop),
    ]
