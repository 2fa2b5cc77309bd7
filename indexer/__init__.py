"""Tra cứu indexer: reading, Vietnamese analysis and index writing."""
