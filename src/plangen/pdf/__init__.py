"""PDF from a .docx: LibreOffice, the only program plangen starts (`convert`), kept
running between documents (`office`, talking to `uno_convert` over UNO)."""
