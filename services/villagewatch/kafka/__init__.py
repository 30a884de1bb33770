"""Kafka plumbing: the local broker from Kafka's own jars, topic administration, clients."""
