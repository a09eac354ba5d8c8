"""Drafting a new pattern when none fits: the interview, the Commons-format file and where it is saved.

``interview`` holds the questions (at most eight, one sentence each, every one skippable) and
the answers kept in the conversation's state; ``writer`` turns the answers into a pattern file
in the Commons format (seven front-matter groups, eight sections, ``status: draft``); ``store``
saves it atomically into the drafts folder and checks a model's polish kept its structure.
"""
