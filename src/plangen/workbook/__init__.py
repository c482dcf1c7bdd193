"""Workbooks in and out: a file checked and read as grids (`grids`), grids read as a plan
by the kind's declaration (`reader`, cell values parsed by `values`), and the blank,
guided workbook a kind's declaration makes (`blank`)."""
