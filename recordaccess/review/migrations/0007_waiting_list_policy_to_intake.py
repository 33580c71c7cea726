"""The waiting-list policy now belongs to intake (intake 0011): review forgets it, and its table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0006_alter_decision_message"),
        ("intake", "0011_waiting_list_policy"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="WaitingListPolicy")],
        ),
    ]
