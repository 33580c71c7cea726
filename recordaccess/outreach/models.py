from django.db import models

from recordaccess.practices.models import Practice


class Channel(models.TextChoices):
    SMS = "sms", "Text message"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    POSTER = "poster", "Waiting-room poster"
    WEBSITE = "website", "Website notice"
    SOCIAL = "social", "Social media post"
    SCRIPT = "script", "Consultation script"


class Purpose(models.TextChoices):
    ANNOUNCEMENT = "announcement", "Telling patients about online access"
    ENHANCED_REVIEW = "enhanced_review", "Patients under enhanced review: you can still ask"
    PRESSURE = "pressure", "If someone is pressuring you"
    REPORT_ERROR = "report_error", "If something in your record is wrong"
    TURN_OFF = "turn_off", "How to turn access off"


class TemplateStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"


class MessageTemplate(models.Model):
    """A message in one channel. Only an approved template, which passed the content rules, can be sent."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="message_templates")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.ANNOUNCEMENT)
    higher_risk = models.BooleanField(default=False, help_text="Hybrid: for patients judged at higher risk.")
    name = models.CharField(max_length=120)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=TemplateStatus.choices, default=TemplateStatus.DRAFT)
    updated_by = models.CharField(max_length=150)
    approved_by = models.CharField(max_length=150, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice", "name"], name="one_template_name_per_practice")
        ]
        ordering = ["purpose", "channel", "name"]

    def __str__(self) -> str:
        return self.name
