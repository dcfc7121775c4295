"""How names are compared in a search: one fold, used for the stored column and for the query alike.

People type "nguyen van an" for "Nguyễn Văn An": a phone keyboard without Telex, a hurry, a
copy from a list without marks. So a name is stored a second time folded (the student's
`name_folded`, kept by the model) and a search box is folded the same way; comparing the two
needs no accent-aware collation, which SQLite does not have and PostgreSQL would only have
with an extension.
"""
import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold_name(text):
    """Lower case, no diacritics (đ → d), runs of spaces as one: "  Đặng  THỊ Mẫu" → "dang thi mau".

    Punctuation is kept, so a '%' or '_' typed in a search box stays a character to look for.
    """
    decomposed = unicodedata.normalize("NFKD", (text or "").replace("đ", "d").replace("Đ", "D"))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SPACES.sub(" ", bare.lower()).strip()
