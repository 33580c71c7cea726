"""recordaccess: run online access to GP-held patient records in England."""
