"""ingest: reports in (HTTP, files, JSONL), validated and cleaned, out to the reports topic."""
