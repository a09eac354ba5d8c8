"""Evaluation: retrieval (hit@k, MRR for hybrid, lexical and vector side by side), intents and contexts."""

from pattern_guide.evaluation.retrieval import Case, EvalReport, evaluate, format_table, read_cases

__all__ = ["Case", "EvalReport", "evaluate", "format_table", "read_cases"]
