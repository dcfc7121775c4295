"""A whole deployment uploaded in one go: diagrams, decision tables, forms, or a .zip of them.

What the administrator chose becomes {file name: bytes} as the deployment stores it, and a list
of refusals (file, code, parameters) for what cannot be part of it. Nothing here stores anything:
the files are then validated together with the active version's (admin_views.replacement_problems).

A .zip is read member by member with hard caps, never extracted to disk: at most MAX_MEMBERS
members, each at most MAX_MEMBER_BYTES once inflated (read with a limit, whatever the archive
declares), MAX_INFLATED_BYTES in all. Absolute paths and `..` are refused (path traversal), as
are archives inside the archive, encrypted members and files of any other kind. Folders inside
the archive are allowed and dropped (SpiffArena exports a process model as a folder); two members
of the same name in different folders are refused. macOS's `__MACOSX/` and `.DS_Store` metadata
are skipped: Finder adds them to every archive it makes.
"""
import io
import re
import zipfile
from dataclasses import dataclass, field

from .admin_views import DIAGRAM_SUFFIXES, FILE_NAME, FORM_NAME
from .documents.templates import DOCUMENT_SUFFIX
from .versions import FORM_SCHEMA_SUFFIX, FORM_UI_SUFFIX

FORM_SUFFIXES = (FORM_SCHEMA_SUFFIX, FORM_UI_SUFFIX)
ZIP_SUFFIX = ".zip"
#: SpiffArena's own naming (`step01-schema.json`, `step01-uischema.json`): told how to rename.
SPIFFARENA_FORM = re.compile(r"^(?P<form>.+?)[-_](?P<kind>ui)?schema\.json$", re.IGNORECASE)

MAX_MEMBERS = 200
MAX_MEMBER_BYTES = 2 * 1024 * 1024  # a diagram's own limit (engine/xmlsafe.py)
MAX_INFLATED_BYTES = 20 * 1024 * 1024
MAX_FORM_BYTES = 200_000  # what the forms editor accepts
_MAC_METADATA = ("__MACOSX/",)
_MAC_FILES = (".DS_Store",)


@dataclass(frozen=True)
class Refusal:
    """One chosen file (or .zip member, `archive.zip/member`) that cannot be part of the deployment."""

    name: str
    code: str
    params: dict = field(default_factory=dict, compare=False)


@dataclass
class Upload:
    files: dict = field(default_factory=dict)
    refusals: list = field(default_factory=list)

    def add(self, name, content, shown=None):
        """Add one file under its base name; `shown` is how the refusal names it (the archive path)."""
        shown = shown or name
        refusal = name_refusal(name, shown)
        if refusal is not None:
            self.refusals.append(refusal)
        elif name in self.files:
            self.refusals.append(Refusal(shown, "upload_twice"))
        elif name.endswith((*FORM_SUFFIXES, DOCUMENT_SUFFIX)) and len(content) > MAX_FORM_BYTES:
            self.refusals.append(Refusal(shown, "form_too_large", {"limit": MAX_FORM_BYTES, "size": len(content)}))
        else:
            self.files[name] = content


def _form_of(name):
    for suffix in FORM_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return None


def name_refusal(name, shown=None):
    """Why a file of this name cannot be deployed, or None (the content is checked later, together)."""
    shown = shown or name
    if not FILE_NAME.match(name):
        return Refusal(shown, "bad_file_name")
    form = _form_of(name)
    if form is not None:
        return None if FORM_NAME.match(form) else Refusal(shown, "bad_form_name", {"form": form})
    if name.endswith(DIAGRAM_SUFFIXES) or name.endswith(DOCUMENT_SUFFIX):  # document templates: issue 13
        return None
    foreign = SPIFFARENA_FORM.match(name)
    if foreign:
        suffix = FORM_UI_SUFFIX if foreign.group("kind") else FORM_SCHEMA_SUFFIX
        return Refusal(shown, "spiffarena_form_name", {"suggested": foreign.group("form") + suffix})
    return Refusal(shown, "not_a_deployment_file")


def _base_name(path):
    return path.replace("\\", "/").rsplit("/", 1)[-1].strip()


def read_upload(chosen):
    """`chosen` is [(file name as the browser sent it, bytes)]: the Upload they make."""
    upload = Upload()
    for sent_name, content in chosen:
        name = _base_name(sent_name)  # browsers of old sent the whole path: the folders are dropped
        if name.lower().endswith(ZIP_SUFFIX):
            _read_zip(upload, name, content)
        else:
            upload.add(name, content)
    return upload


def _unsafe(path):
    parts = path.replace("\\", "/").split("/")
    return path.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", path) is not None or ".." in parts


def _read_zip(upload, archive, content):
    try:
        bundle = zipfile.ZipFile(io.BytesIO(content))
        members = bundle.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        upload.refusals.append(Refusal(archive, "zip_unreadable"))
        return
    files = [m for m in members if not m.is_dir() and not m.filename.startswith(_MAC_METADATA)
             and _base_name(m.filename) not in _MAC_FILES]
    if len(files) > MAX_MEMBERS:
        upload.refusals.append(Refusal(archive, "zip_too_many", {"count": len(files), "limit": MAX_MEMBERS}))
        return
    if not files:
        upload.refusals.append(Refusal(archive, "zip_empty"))
        return
    inflated = 0
    for member in files:
        shown = f"{archive}/{member.filename}"
        if _unsafe(member.filename):
            upload.refusals.append(Refusal(shown, "zip_unsafe_path"))
            continue
        if member.flag_bits & 0x1:
            upload.refusals.append(Refusal(shown, "zip_encrypted"))
            continue
        if member.filename.lower().endswith(ZIP_SUFFIX):
            upload.refusals.append(Refusal(shown, "zip_nested"))
            continue
        refusal = name_refusal(_base_name(member.filename), shown)
        if refusal is not None:  # a member that could not be deployed is not inflated at all
            upload.refusals.append(refusal)
            continue
        try:
            data = _inflate(bundle, member, MAX_MEMBER_BYTES)
        except _Unreadable:
            upload.refusals.append(Refusal(shown, "zip_unreadable"))
            continue
        if data is None:
            upload.refusals.append(Refusal(shown, "zip_member_too_large", {"limit_mb": MAX_MEMBER_BYTES // 2 ** 20}))
            continue
        inflated += len(data)
        if inflated > MAX_INFLATED_BYTES:
            upload.refusals.append(Refusal(archive, "zip_too_large", {"limit_mb": MAX_INFLATED_BYTES // 2 ** 20}))
            return
        upload.add(_base_name(member.filename), data, shown)


class _Unreadable(Exception):
    pass


def _inflate(bundle, member, limit):
    """The member's bytes, or None when they are more than `limit` (a zip bomb is stopped after `limit`)."""
    if member.file_size > limit:
        return None
    try:
        with bundle.open(member) as stream:
            data = stream.read(limit + 1)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError, OSError, EOFError) as error:
        raise _Unreadable() from error  # a damaged member, a compression method zipfile lacks
    return None if len(data) > limit else data
