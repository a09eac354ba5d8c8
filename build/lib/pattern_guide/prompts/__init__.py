"""The prompt files, installed as the package resource ``pattern_guide.prompts`` (see pyproject.toml)."""
