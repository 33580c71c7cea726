"""What a new practice starts with."""

# The NHS resources the BMA's guidance names for signposting. Practices edit them; check the addresses
# against the NHS website when you set a practice up (docs/decisions/0002-signposting-defaults.md).
SIGNPOSTING_RESOURCES = [
    (
        "Commonly found abbreviations in medical records",
        "https://www.nhs.uk/nhs-app/nhs-app-help-and-support/health-records-in-the-nhs-app/"
        "abbreviations-commonly-found-in-medical-records/",
    ),
    (
        "What you need to know about your GP record",
        "https://www.england.nhs.uk/wp-content/uploads/2023/10/what-you-need-to-know-about-your-gp-online-record.pdf",
    ),
    (
        "Seeing your medical record",
        "https://www.nhs.uk/nhs-app/nhs-app-help-and-support/health-records-in-the-nhs-app/",
    ),
]
