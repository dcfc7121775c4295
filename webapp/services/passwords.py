"""The password rule, wherever a password is set: long enough, not the user's own name, hard to guess.

Strength is zxcvbn's estimate (score 0–4, we ask for 3: "safely unguessable", about 10^8 guesses
or more), told the user's own words — user name, full name, the units they hold roles in — so a
password built from them scores as the guessable thing it is. A password that contains the user
name or the full name (accents and punctuation ignored) is refused whatever its score.
"""
import re
import unicodedata

from sqlalchemy import select
from zxcvbn import zxcvbn

from ..extensions import db
from ..models import OrgUnit, RoleAssignment

MIN_LENGTH = 10
MIN_SCORE = 3
#: Letters that must be left once the user's own words and the digits are taken out.
OWN_WORDS_REST = 4
#: zxcvbn refuses more than 72 characters (its cost grows with the length): it judges the first 72.
SCORED_PREFIX = 72
#: The weakest part zxcvbn found → the error code that says why in the user's language.
WEAKNESS = {"dictionary": "password_common", "spatial": "password_keyboard", "repeat": "password_repeated",
            "sequence": "password_sequence", "date": "password_date", "regex": "password_date"}
#: The part of a user name after the unit code ("tq-ln.standing_committee" → "standing_committee").
_ROLE_PART = re.compile(r"[^.]+$")


def fold(text):
    """Lower case, no accents (đ → d), letters and digits only: how names are compared."""
    decomposed = unicodedata.normalize("NFKD", (text or "").replace("đ", "d").replace("Đ", "D"))
    return "".join(char for char in decomposed.lower() if char.isalnum() and not unicodedata.combining(char))


def own_words(username, full_name, unit_names=()):
    """The words of a user that a password must not be built from (as typed and folded, with their parts)."""
    words = []
    for text in (username, full_name, *unit_names):
        if text:
            parts = re.split(r"[\W_]+", text.lower())
            words += [text, fold(text), *parts, *map(fold, parts)]
    return [word for word in dict.fromkeys(words) if word]


def _contains_own_name(password, username, full_name):
    folded = fold(password)
    names = [fold(username), fold(full_name)]
    role_part = _ROLE_PART.search(username or "")
    if role_part:
        names.append(fold(role_part.group(0)))
    return any(len(name) >= 3 and name in folded for name in names)


def _built_from_own_words(password, words):
    """True when, without the user's own words and the digits, almost nothing of the password is left.

    zxcvbn scores "Chi bo Loc Ninh 2026" (the user's own unit) as strong: the spaces split it into
    cheap-looking pieces. Folded and stripped of own words, it is "" — nothing a guesser would not try.
    """
    letters = rest = "".join(char for char in fold(password) if not char.isdigit())
    for word in sorted({fold(word) for word in words if len(fold(word)) >= 2}, key=len, reverse=True):
        rest = rest.replace(word, "")
    return rest != letters and len(rest) < OWN_WORDS_REST


def password_problems(password, *, username, full_name, unit_names=()):
    """Error codes (empty when the password may be set), the most specific first."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        return ["too_short"]
    if _contains_own_name(password, username, full_name):
        return ["password_has_name"]
    words = own_words(username, full_name, unit_names)
    if _built_from_own_words(password, words):
        return ["password_own_words"]
    result = zxcvbn(password[:SCORED_PREFIX], user_inputs=words)
    if result["score"] >= MIN_SCORE:
        return []
    guessable = [match for match in result["sequence"] if match["pattern"] != "bruteforce"]
    weakest = max(guessable, key=lambda match: len(match["token"]), default=None)
    return [WEAKNESS.get(weakest["pattern"], "password_weak") if weakest else "password_weak"]


def unit_names_of(user_id):
    """The names of the units `user_id` holds roles in (their own words for the rule)."""
    if user_id is None:
        return []
    return list(db.session.execute(select(OrgUnit.name).join(RoleAssignment, RoleAssignment.unit_id == OrgUnit.id)
                                   .where(RoleAssignment.user_id == user_id).distinct()).scalars())


def problems_for(user, password):
    """password_problems for an existing user, with the units they hold roles in."""
    return password_problems(password, username=user.username, full_name=user.full_name,
                             unit_names=unit_names_of(user.id))
