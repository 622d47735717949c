"""A role noun the parser took for a verb is no cue: "KSA head Lena Brandt sent ..." parsed as
"KSA heads [that] Lena Brandt sent ..." is Lena Brandt's, not the agency's. Parses by hand."""

from __future__ import annotations

from spacy.tokens import Doc
from spacy.vocab import Vocab

from quotetrace.nlp.candidates import _misparsed_role


def _parse(words: list[str], heads: list[int], deps: list[str]) -> Doc:
    return Doc(Vocab(), words=words, heads=heads, deps=deps)


def test_a_role_noun_read_as_the_root_verb_is_no_cue() -> None:
    # KSA <-nsubj- head -ccomp-> sent; Lena Brandt the subject of "sent"
    words = ["KSA", "head", "Lena", "Brandt", "sent", "congratulations", "."]
    heads = [1, 1, 3, 4, 1, 4, 1]
    deps = ["nsubj", "ROOT", "compound", "nsubj", "ccomp", "dobj", "punct"]
    doc = _parse(words, heads, deps)
    assert _misparsed_role(doc[1])
    assert not _misparsed_role(doc[4])  # "sent" itself is a verb


def test_a_real_verb_or_a_distant_subject_is_kept() -> None:
    # "The agency heads ...": the verb form is no role noun
    words = ["KSA", "heads", "Lena", "Brandt", "said", "so", "."]
    doc = _parse(
        words,
        [1, 1, 3, 4, 1, 4, 1],
        ["nsubj", "ROOT", "compound", "nsubj", "ccomp", "dobj", "punct"],
    )
    assert not _misparsed_role(doc[1])
    # "KSA, its head, ...": the subject does not end right before the role noun
    words = ["KSA", "soon", "head", "Lena", "Brandt", "sent", "."]
    heads = [2, 2, 2, 4, 5, 2, 2]
    deps = ["nsubj", "advmod", "ROOT", "compound", "nsubj", "ccomp", "punct"]
    assert not _misparsed_role(_parse(words, heads, deps)[2])
    # the clause has no subject of its own right after the role noun
    words = ["KSA", "head", "that", "Lena", "Brandt", "sent", "."]
    heads = [1, 1, 5, 4, 5, 1, 1]
    deps = ["nsubj", "ROOT", "mark", "compound", "nsubj", "ccomp", "punct"]
    assert not _misparsed_role(_parse(words, heads, deps)[1])
