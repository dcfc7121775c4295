"""Blueprint: a case's official documents (download .docx / PDF) and the national register export."""
