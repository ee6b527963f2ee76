#!/usr/bin/env python3
"""Independent verifier of the registry's event hash chains (auditor.md AUD-40..43, AUD-55).

Reads an NDJSON export of events -- one event representation (api-v2.md section 8) per line, as
GET /api/v2/events/export?format=ndjson&sort=sequence writes it -- from FILE or, without FILE or
with "-", from standard input. For every institution it recomputes each entry hash from the 14
canonical members and each chain hash, bit for bit, in sequence order, and checks that sequences
run 1, 2, 3 ... without gap or repeat.

Uses nothing but the Python 3 standard library and none of the registry's code, so that an auditor
can check the registry's hashes without trusting the registry.

Output (stdout), one line per institution in identifier byte order:
    OK <institution> <last sequence>
    BROKEN <institution> sequence=<s> identifier=<uuid or -> reason=<reason>
Exit 0 if every chain is intact, 1 if any is broken (or the input is not a valid export), 2 on a
usage error. Reasons: entry_hash_mismatch, chain_hash_mismatch, sequence_gap, duplicate_sequence,
malformed_line. Lines of one institution must come in ascending sequence order (the export's
sort=sequence); institutions may be interleaved. Memory is constant per institution.
"""

import hashlib
import json
import sys

# AUD-40: the canonical members; json.dumps(sort_keys=True) writes them in this (byte) order.
CANONICAL_MEMBERS = (
    "agent", "created_at", "date_time", "detail", "event_type", "generic_file_identifier",
    "identifier", "institution", "intellectual_object_identifier", "object", "outcome",
    "outcome_detail", "outcome_information", "sequence",
)

ZERO_HASH = bytes(32)


def canonical_bytes(event):
    """AUD-41/42: the exact bytes that are hashed."""
    members = {name: event[name] for name in CANONICAL_MEMBERS}
    text = json.dumps(members, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


class Chain:
    """The running state of one institution's chain."""

    def __init__(self):
        self.expected = 1
        self.chain_hash = ZERO_HASH
        self.broken = None  # (sequence, identifier, reason) of the first broken link

    def add(self, event):
        if self.broken is not None:
            return
        sequence = event["sequence"]
        identifier = event.get("identifier") or "-"
        if sequence > self.expected:
            self.broken = (self.expected, "-", "sequence_gap")
            return
        if sequence < self.expected:
            self.broken = (sequence, identifier, "duplicate_sequence")
            return
        entry = hashlib.sha256(canonical_bytes(event)).digest()
        if entry != bytes.fromhex(event["entry_hash"]):
            self.broken = (sequence, identifier, "entry_hash_mismatch")
            return
        chained = hashlib.sha256(self.chain_hash + entry).digest()
        if chained != bytes.fromhex(event["chain_hash"]):
            self.broken = (sequence, identifier, "chain_hash_mismatch")
            return
        self.chain_hash = chained
        self.expected = sequence + 1


def well_formed(event):
    """The members the checks need, with the types the representation has."""
    if not isinstance(event, dict):
        return False
    for name in CANONICAL_MEMBERS:
        if name not in event:
            return False
    if not isinstance(event["institution"], str):
        return False
    if not isinstance(event["sequence"], int) or isinstance(event["sequence"], bool):
        return False
    for name in ("entry_hash", "chain_hash"):
        value = event.get(name)
        if not isinstance(value, str) or len(value) != 64:
            return False
        try:
            bytes.fromhex(value)
        except ValueError:
            return False
    return True


def verify(stream):
    """Returns the output lines and whether every chain is intact."""
    chains = {}
    malformed = None
    for line_number, raw in enumerate(stream, start=1):
        if raw.endswith(b"\n"):
            raw = raw[:-1]
        if not raw:
            continue
        try:
            event = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            event = None
        if not well_formed(event):
            malformed = line_number
            break
        chains.setdefault(event["institution"], Chain()).add(event)

    lines = []
    intact = True
    # Byte order of the identifiers' UTF-8 (not a locale's collation).
    for institution in sorted(chains, key=lambda name: name.encode("utf-8")):
        chain = chains[institution]
        if chain.broken is None:
            lines.append("OK %s %d" % (institution, chain.expected - 1))
        else:
            intact = False
            sequence, identifier, reason = chain.broken
            lines.append("BROKEN %s sequence=%d identifier=%s reason=%s" % (institution, sequence, identifier, reason))
    if malformed is not None:
        intact = False
        lines.append("BROKEN - line=%d reason=malformed_line" % malformed)
    return lines, intact


def main(arguments):
    if len(arguments) > 1 or (arguments and arguments[0] in ("-h", "--help")):
        sys.stderr.write("usage: verify_chain.py [FILE|-]\n")
        return 2
    try:
        if not arguments or arguments[0] == "-":
            lines, intact = verify(sys.stdin.buffer)
        else:
            with open(arguments[0], "rb") as stream:
                lines, intact = verify(stream)
    except OSError as error:
        sys.stderr.write("verify_chain.py: %s\n" % error)
        return 2
    for line in lines:
        sys.stdout.write(line + "\n")
    return 0 if intact else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
