"""The anonymisation key: everything needed to re-identify, kept outside the project.

A JSON file, mode 0600, at a path the user chooses outside the project folder, so the project can be
shared or committed without it. It names the project it belongs to, and holds the code allocation seed
and which person got which code (and, as anonymisation lands, the original names and spans).

With a passphrase the content is encrypted (Fernet: AES-128-CBC with HMAC-SHA256, from the
`cryptography` library) under a key derived by scrypt; only the KDF parameters and salt are in clear.
"""

from __future__ import annotations

import base64
import json
import os
import re
from pathlib import Path

from .errors import UsageError

KEY_VERSION = 1
_SCRYPT = {"n": 2**15, "r": 8, "p": 1}

SEED_SHOWN = "[seed]"
_SEED_VALUE = re.compile(r"""(--seed(?:=|\s+))('[^']*'|"[^"]*"|\S+)""")
_ASSIGN = re.compile(r"\bspeakers\s+assign\b")


def hide_seed(command_line: str) -> str:
    """A logged command line with every allocation seed of `speakers assign` blanked (quoted or not): the
    seed, which says who has which code, belongs in the key and never in the project."""
    if not _ASSIGN.search(command_line):
        return command_line
    return _SEED_VALUE.sub(lambda m: m[1] + SEED_SHOWN, command_line)


def hide_seed_argument(argv: list[str]) -> list[str]:
    """The same, on a command's arguments before they are joined into a line for the log."""
    if "assign" not in argv:
        return argv
    shown, blank_next = [], False
    for argument in argv:
        if blank_next:
            shown.append(SEED_SHOWN)
        elif argument.startswith("--seed="):
            shown.append("--seed=" + SEED_SHOWN)
        else:
            shown.append(argument)
        blank_next = argument == "--seed"
    return shown


def locate(given: Path | None, configured: str | None, project_root: Path) -> Path:
    """The key to use: `--key`, else the configured one (QUALCODE_KEY, [user] key); outside the project."""
    chosen = given or configured
    if not chosen:
        raise UsageError("a key is needed: pass --key PATH (outside the project), or set QUALCODE_KEY or [user] key in your user config")
    return check_location(Path(chosen), project_root)


def check_location(path: Path, project_root: Path) -> Path:
    """The key's absolute path, refused when it is inside the project (where it would be shared)."""
    path = path.expanduser().resolve()
    if path == project_root or project_root in path.parents:
        raise UsageError(f"key {path}: inside the project folder, which is meant to be shared; keep the key elsewhere, e.g. ~/keys/")
    return path


def read_key(path: Path, project_id: str, passphrase: str | None = None) -> dict:
    """A key for this project, or a fresh one when the file does not exist yet."""
    if not path.exists():
        return {"version": KEY_VERSION, "project": project_id}
    try:
        key = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UsageError(f"{path}: not a readable qualcode key ({error}); check the path, or restore the key from its backup") from None
    if isinstance(key, dict) and "encrypted" in key:
        key = _decrypt(path, key["encrypted"], passphrase)
    if not isinstance(key, dict) or key.get("version") != KEY_VERSION:
        raise UsageError(f"{path}: not a qualcode key (version {KEY_VERSION}); check the path")
    if key.get("project") != project_id:
        raise UsageError(f"{path}: the key of another project; use this project's key")
    return key


def is_encrypted(path: Path) -> bool:
    try:
        return "encrypted" in json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, TypeError):
        return False


def write_key(path: Path, key: dict, passphrase: str | None = None) -> None:
    """Write whole or not at all, readable by its owner only; encrypted when there is a passphrase."""
    content = {"encrypted": _encrypt(key, passphrase)} if passphrase else key
    partial = path.with_name(path.name + ".partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(content, handle, ensure_ascii=False, indent=1)  # order kept: reversal restores it exactly
        os.chmod(partial, 0o600)
        partial.replace(path)
    except OSError as error:
        if partial.is_file():
            partial.unlink()
        raise UsageError(f"key {path}: cannot write ({error.strerror or error}); choose a writable file path outside the project") from None


def _fernet(passphrase: str, salt: bytes, params: dict):
    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    derived = Scrypt(salt=salt, length=32, **params).derive(passphrase.encode("utf-8"))
    return Fernet(base64.urlsafe_b64encode(derived))


def _encrypt(key: dict, passphrase: str) -> dict:
    salt = os.urandom(16)
    token = _fernet(passphrase, salt, _SCRYPT).encrypt(json.dumps(key, ensure_ascii=False).encode("utf-8"))
    return {"kdf": "scrypt", **_SCRYPT, "salt": base64.b64encode(salt).decode(), "fernet": token.decode()}


def _decrypt(path: Path, sealed: dict, passphrase: str | None) -> dict:
    from cryptography.fernet import InvalidToken

    if not passphrase:
        raise UsageError(f"{path}: the key is encrypted; give its passphrase (QUALCODE_KEY_PASSPHRASE, or type it when asked)")
    try:
        params = {name: int(sealed[name]) for name in ("n", "r", "p")}
        box = _fernet(passphrase, base64.b64decode(sealed["salt"]), params)
        return json.loads(box.decrypt(sealed["fernet"].encode()))
    except InvalidToken:
        raise UsageError(f"{path}: wrong passphrase for this key; try again") from None
    except (KeyError, ValueError, TypeError) as error:
        raise UsageError(f"{path}: damaged encrypted key ({type(error).__name__}); restore the key from its backup") from None
