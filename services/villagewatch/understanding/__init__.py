"""The pure understanding logic: report text in, typed events out. No Kafka here."""
