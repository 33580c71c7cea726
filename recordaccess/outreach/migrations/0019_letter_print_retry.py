from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("outreach", "0018_reply_sources_form_and_staff")]

    operations = [
        migrations.AddField(
            model_name="letterprint",
            name="retry_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
