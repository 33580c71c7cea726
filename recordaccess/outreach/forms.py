from django import forms


class TemplateForm(forms.Form):
    subject = forms.CharField(max_length=200, required=False, label="Subject")
    body = forms.CharField(
        label="Message",
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={"required": "Enter the message"},
    )
