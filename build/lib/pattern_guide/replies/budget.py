"""Token counting, offline, and fitting a prompt into a model's context window.

tiktoken fetches its BPE files from the internet on first use. We never let it: the
ranks come from the files the ``bpe-openai`` package ships (cl100k_base, o200k_base),
checked against tiktoken's own SHA-256 and turned into a ``tiktoken.Encoding`` directly,
so no download, cache directory or environment variable is involved. If that is not
possible the counter estimates from the number of characters and says so in its name.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import importlib.resources
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

import tiktoken

from pattern_guide.conversation.state import Message
from pattern_guide.library.model import Passage

CHARS_PER_TOKEN = 3.4  # English prose in cl100k/o200k runs at about 3.4-4 characters a token
MESSAGE_OVERHEAD = 4  # role and separators the chat format adds to every message
SECTION_OVERHEAD = 4  # blank line and header around a section in the pattern_sections block
REPLY_PRIMING = 3  # tokens the server adds to start the assistant's reply

# tiktoken's published definitions (tiktoken_ext/openai_public.py), with the ranks from bpe-openai.
_ENDOFTEXT, _ENDOFPROMPT = "<|endoftext|>", "<|endofprompt|>"


class _Spec(NamedTuple):
    sha256: str
    pat_str: str
    special_tokens: dict[str, int]


_ENCODINGS: dict[str, _Spec] = {
    "cl100k_base": _Spec(
        sha256="223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
        pat_str=r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s""",  # noqa: E501
        special_tokens={
            _ENDOFTEXT: 100257,
            "<|fim_prefix|>": 100258,
            "<|fim_middle|>": 100259,
            "<|fim_suffix|>": 100260,
            _ENDOFPROMPT: 100276,
        },
    ),
    "o200k_base": _Spec(
        sha256="446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
        pat_str="|".join(
            [
                r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
                r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
                r"""\p{N}{1,3}""",
                r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
                r"""\s*[\r\n]+""",
                r"""\s+(?!\S)""",
                r"""\s+""",
            ]
        ),
        special_tokens={_ENDOFTEXT: 199999, _ENDOFPROMPT: 200018},
    ),
}
DEFAULT_ENCODING = "cl100k_base"  # for models tiktoken does not know (Llama, Mistral, Qwen ...): an estimate


class EncodingUnavailableError(RuntimeError):
    """The packaged BPE ranks could not be read or did not match tiktoken's checksum."""


@lru_cache(maxsize=2)
def load_encoding(name: str) -> tiktoken.Encoding:
    """Build a tiktoken Encoding from the ranks bpe-openai ships, without touching the network."""
    spec = _ENCODINGS.get(name)
    if spec is None:
        raise EncodingUnavailableError(f"no packaged BPE ranks for {name}; have {', '.join(_ENCODINGS)}")
    try:
        packed = importlib.resources.files("bpe_openai.data").joinpath(f"{name}.tiktoken.gz").read_bytes()
        contents = gzip.decompress(packed)
    except (ModuleNotFoundError, OSError, EOFError) as exc:
        raise EncodingUnavailableError(f"cannot read {name} from the bpe-openai package: {exc}") from exc
    if hashlib.sha256(contents).hexdigest() != spec.sha256:
        raise EncodingUnavailableError(f"{name} from bpe-openai does not match tiktoken's checksum")
    ranks: dict[bytes, int] = {}
    for line in contents.splitlines():
        if line:
            token, rank = line.split()
            ranks[base64.b64decode(token)] = int(rank)
    return tiktoken.Encoding(
        name=name,
        pat_str=spec.pat_str,
        mergeable_ranks=ranks,
        special_tokens=dict(spec.special_tokens),
    )


def encoding_name_for(model: str) -> str:
    """The BPE a model uses (o200k for gpt-4o and later, cl100k otherwise and for unknown models)."""
    try:
        name = tiktoken.encoding_name_for_model(model)
    except KeyError:
        return DEFAULT_ENCODING
    return name if name in _ENCODINGS else DEFAULT_ENCODING


class TokenCounter:
    """Counts tokens with tiktoken offline, or estimates from characters when it cannot."""

    def __init__(self, model: str = "gpt-4o-mini") -> None:
        encoding_name = encoding_name_for(model)
        self._encoding: tiktoken.Encoding | None
        try:
            self._encoding = load_encoding(encoding_name)
        except EncodingUnavailableError as exc:
            self._encoding = None
            self.name = f"estimate (~{CHARS_PER_TOKEN} characters a token; tiktoken unavailable: {exc})"
        else:
            self.name = f"tiktoken {encoding_name}"

    @classmethod
    def estimate(cls) -> TokenCounter:
        """A counter that only estimates from characters (no tiktoken)."""
        counter = cls.__new__(cls)
        counter._encoding = None
        counter.name = f"estimate (~{CHARS_PER_TOKEN} characters a token)"
        return counter

    @property
    def exact(self) -> bool:
        """Whether counts come from a real tokenizer rather than an estimate."""
        return self._encoding is not None

    def count(self, text: str) -> int:
        """How many tokens the text takes (special-token strings counted as plain text)."""
        if not text:
            return 0
        if self._encoding is None:
            return max(1, round(len(text) / CHARS_PER_TOKEN))
        return len(self._encoding.encode_ordinary(text))


def fit_messages(
    system: str,
    sections: Sequence[Passage],
    history: Sequence[Message],
    user: str,
    window: int,
    reserve: int,
    counter: TokenCounter | None = None,
) -> tuple[list[Passage], list[Message]]:
    """Keep what fits in ``window - reserve`` tokens: drop history oldest first, then sections from the last.

    The system and user parts are always kept (even if they alone overflow); sections are
    dropped only once no history is left. Returns (sections kept, history kept), in order.
    """
    counter = counter or TokenCounter()
    budget = window - reserve
    fixed = counter.count(system) + counter.count(user) + 2 * MESSAGE_OVERHEAD + REPLY_PRIMING
    section_costs = [counter.count(s.citation) + counter.count(s.text) + SECTION_OVERHEAD for s in sections]
    history_costs = [counter.count(m.content) + MESSAGE_OVERHEAD for m in history]
    total = fixed + sum(section_costs) + sum(history_costs)
    first_history = 0
    while total > budget and first_history < len(history):
        total -= history_costs[first_history]
        first_history += 1
    kept_sections = len(sections)
    while total > budget and kept_sections > 0:
        kept_sections -= 1
        total -= section_costs[kept_sections]
    return list(sections[:kept_sections]), list(history[first_history:])


def reply_reserve(draft: str, window: int, counter: TokenCounter | None = None) -> int:
    """Tokens to keep free for the reply: room for twice the draft, at least 512, at most half the window."""
    counter = counter or TokenCounter()
    return max(1, min(window // 2, max(512, 2 * counter.count(draft) + 128)))
