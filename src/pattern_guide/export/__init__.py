"""Exports people take away: the plan, the self-assessment and workshop reports, printable cards.

``plans`` and ``reports`` write Markdown, ``cards`` self-contained HTML, ``pattern`` the
parsed pattern for ``show``; ``parts`` holds what they share. ``html`` turns the Markdown
into printable pages with ``charts`` (inline SVG), and ``pdf`` prints any of these pages
to PDF without fetching anything. Every export carries the pattern's licence and
attribution; every piece of untrusted text goes through ``text``.
"""
