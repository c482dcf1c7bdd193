"""The plan document: the names a Word template uses (`context`, listed by
`template_fields`), rendering it in a sandbox (`render`, `sandbox`, `tags`), native
charts (`charts`), and checking a user's own template (`template_package`,
`template_check`)."""
