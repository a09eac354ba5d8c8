"""Implementation sections written by context rather than by step: each context's block is that context's
paragraph, never a step of its own."""

from __future__ import annotations

from pattern_guide.library.model import Section
from pattern_guide.library.parser import IN_YOUR_SETTING, parse_steps

BY_CONTEXT = """**For companies**: Put the review on the quarterly calendar and name who chairs it.

**In government and public service**: Write the review into the service's standing orders.

**Activist translation**: Rotate who convenes the review so no one organiser carries it.

**Tech (Product Teams)**: Add the review to the release checklist.

Whatever the setting, three moves follow:

**Across all contexts**: Start with one review in the next month and keep its notes where everyone can read them.
"""

STEPS_WITH_CALLOUTS = """**Map who decides today.** List the last ten decisions and who made each.

**Corporate callout**: Start with the decisions that waited longest for a director.

**Agree the zones.** Sort the decisions into those a team makes alone and those it brings to others.

**Government callout**: Check each zone against the delegation rules already in force.
"""

ONE_CONTEXT_TITLE = """**Gather the group.** Invite everyone who touches the work.

**For engineers**: a practice of its own, in a pattern that is not written by context.
"""


def _section(text: str) -> Section:
    return Section.of("Section 4: Implementation", "implementation", 40, text)


def test_blocks_titled_for_each_context_are_one_step_in_your_setting_then_the_common_step() -> None:
    steps = parse_steps(_section(BY_CONTEXT))
    assert [s.title for s in steps] == [IN_YOUR_SETTING, "Across all contexts"]
    first = steps[0]
    assert first.text == "" and sorted(first.contexts) == ["activist", "corporate", "government", "tech"]
    assert first.contexts["activist"] == ["Rotate who convenes the review so no one organiser carries it."]
    assert first.contexts["tech"] == ["**Product Teams.** Add the review to the release checklist."]
    assert first.line == 41
    assert steps[1].text.startswith("Start with one review") and not steps[1].contexts


def test_a_callout_for_a_context_belongs_to_the_step_before_it() -> None:
    steps = parse_steps(_section(STEPS_WITH_CALLOUTS))
    assert [s.title for s in steps] == ["Map who decides today", "Agree the zones"]
    assert list(steps[0].contexts) == ["corporate"] and list(steps[1].contexts) == ["government"]
    assert "waited longest" in steps[0].contexts["corporate"][0]


def test_a_single_block_titled_for_one_world_stays_a_step() -> None:
    steps = parse_steps(_section(ONE_CONTEXT_TITLE))
    assert [s.title for s in steps] == ["Gather the group", "For engineers"]
    assert not any(s.contexts for s in steps)
