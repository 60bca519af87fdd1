"""Class and module names for generated code: ``Post``, ``post``, ``BlogPost``, ``blog_post``.

Whatever spelling a user types, a generator needs the class name (``BlogPost``), the module name
(``blog_post``), the table name (``blog_posts``) and, for commands, the kebab case
(``blog-post``). :class:`Name` derives them all and refuses input that could not be a Python
identifier, so no generator ever writes a module that cannot be imported.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass

from foundry.console.context import CommandError
from foundry.kernel.english import english

__all__ = ["Name", "pluralize"]

_VALID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
# A lower-case letter or digit followed by a capital, or an acronym followed by a capitalized
# word, is where a word starts: BlogPost -> blog_post, HTTPClient -> http_client.
_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
# The last letter of a stem that was a singular ending in -as, -is or -us, not a plural.
_STRIPPED_TO_VOWEL = frozenset("aiu")


def pluralize(word: str) -> str:
    """The English plural of a lower-case ``word``: post -> posts, person -> people.

    inflect knows the irregular and uncountable nouns; a word that is already plural stays as
    it is (``stats`` -> ``stats``, ``data`` -> ``data``). inflect treats any final ``s`` as a
    plural ending, so a singular it would strip to a vowel (``bus`` -> ``bu``, ``status``,
    ``analysis``: Latin and Greek ``-us``/``-is``/``-as`` nouns) is pluralized instead.
    """
    engine = english()
    singular = engine.singular_noun(word)
    if (
        singular
        and engine.plural_noun(singular) == word
        and (singular == word or singular[-1] not in _STRIPPED_TO_VOWEL)
    ):
        return word
    return engine.plural_noun(word)


@dataclass(frozen=True, slots=True)
class Name:
    """One validated name in its spellings.

    Attributes:
        studly: the class name, ``BlogPost``.
        snake: the module name, ``blog_post``.
    """

    studly: str
    snake: str

    @classmethod
    def parse(cls, raw: str, *, what: str = "name") -> Name:
        """Accept ``BlogPost`` or ``blog_post``; raise :class:`CommandError` otherwise.

        Raises:
            CommandError: the name is empty, has characters an identifier cannot have, or is
                (in either spelling) a Python keyword.
        """
        text = raw.strip()
        if not _VALID.match(text) or "__" in text or text.endswith("_"):
            raise CommandError(
                f'Invalid {what} "{raw}": use letters, digits and single underscores, '
                "starting with a letter (e.g. BlogPost or blog_post)."
            )
        words = [word for part in text.split("_") for word in _BOUNDARY.split(part) if word]
        snake = "_".join(word.lower() for word in words)
        studly = "".join(word[0].upper() + word[1:] for word in words)
        for spelling in (snake, studly, text):
            if keyword.iskeyword(spelling):
                raise CommandError(f'Invalid {what} "{raw}": "{spelling}" is a Python keyword.')
        return cls(studly=studly, snake=snake)

    @property
    def kebab(self) -> str:
        """``blog-post``: for command names."""
        return self.snake.replace("_", "-")

    @property
    def table(self) -> str:
        """The table of a model with this name: ``blog_posts``."""
        head, _, last = self.snake.rpartition("_")
        return f"{head}_{pluralize(last)}" if head else pluralize(last)

    @property
    def words(self) -> str:
        """``blog post``: for docstrings and messages."""
        return self.snake.replace("_", " ")

    def with_suffix(self, suffix: str) -> Name:
        """This name ending in ``suffix`` once: ``Post`` + ``Controller`` -> ``PostController``."""
        if self.studly.endswith(suffix):
            return self
        return Name.parse(self.studly + suffix)

    def without_suffix(self, suffix: str) -> Name:
        """This name without a trailing ``suffix``: ``PostController`` -> ``Post``."""
        if self.studly.endswith(suffix) and self.studly != suffix:
            return Name.parse(self.studly[: -len(suffix)])
        return self
