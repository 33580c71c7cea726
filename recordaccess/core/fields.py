"""Form fields written the same way in many forms."""

from django import forms


def radios(label: str, choices, error: str, **kwargs) -> forms.ChoiceField:
    """One question answered by choosing one of `choices` (radio buttons); `error` when none, or no listed one, is
    chosen, which the error summary and the field both show."""
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": error, "invalid_choice": error},
        **kwargs,
    )
