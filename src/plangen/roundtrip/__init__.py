"""Word and workbook as one plan: the content controls of a built plan (`controls`), the
record of what it was built from (`record`), refusing to replace edits (`protect`),
and bringing ticks back into the workbook (`pull`, written by `workbook_patch`)."""
