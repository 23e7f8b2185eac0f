"""Scoring the assistant on a question set, against a naive RAG baseline."""
