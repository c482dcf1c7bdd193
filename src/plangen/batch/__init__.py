"""Many workbooks at once: the batch run with its resume manifest (`run`), PDFs of a
batch (`pdfs`) and the table across districts (`summary_table`)."""
