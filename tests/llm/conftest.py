"""The fake OpenAI-compatible server on loopback, for every test of the model layer in this folder."""

from tests.llm.test_llm import fake, server  # noqa: F401 - fixtures are found by name
