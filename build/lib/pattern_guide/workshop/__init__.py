"""Workshops: a facilitator opens one on a few patterns, participants join by code, rate and vote.

``model`` is what a workshop is made of, ``codes`` the join codes, ``room`` the room's
aggregate per sign, its reading and the vote tally.
"""

from pattern_guide.workshop.model import Participant, Workshop, WorkshopAnswer
from pattern_guide.workshop.room import RoomReading, room_reading, tally_votes

__all__ = ["Participant", "RoomReading", "Workshop", "WorkshopAnswer", "room_reading", "tally_votes"]
