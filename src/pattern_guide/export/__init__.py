"""Exports people take away: the plan, the self-assessment and workshop reports, printable cards.

``plans`` and ``reports`` write Markdown, ``cards`` self-contained HTML, ``pattern`` the
parsed pattern for ``show``; ``parts`` holds what they share. Every export carries the
pattern's licence and attribution; every piece of untrusted text goes through ``text``.
"""
