/// Byte-level helpers for raw request text.
///
/// Routing must not use Swift's Character semantics: `/` followed by a combining mark is one
/// Character (so a Character split would not split there), and `==` on Strings uses canonical
/// equivalence (U+212A KELVIN SIGN equals `K`). API-1 says "split on literal `/`", which is a
/// byte rule, so separators and literal segments are compared as UTF-8 bytes.
extension Substring {
    /// The pieces between occurrences of the ASCII byte `separator`, empty pieces included.
    func splitOnASCII(_ separator: UInt8) -> [Substring] {
        var pieces: [Substring] = []
        var pieceStart = utf8.startIndex
        var index = utf8.startIndex
        while index != utf8.endIndex {
            if utf8[index] == separator {
                pieces.append(self[pieceStart..<index])
                pieceStart = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        pieces.append(self[pieceStart..<utf8.endIndex])
        return pieces
    }

    /// The position of the first ASCII byte `byte`, or nil.
    func firstIndexOfASCII(_ byte: UInt8) -> Index? {
        utf8.firstIndex(of: byte)
    }

    /// Whether the text contains the ASCII byte `byte`.
    func containsASCII(_ byte: UInt8) -> Bool {
        utf8.contains(byte)
    }

    /// Byte-for-byte equality with `literal` (no Unicode normalization).
    func hasSameBytes(as literal: String) -> Bool {
        utf8.elementsEqual(literal.utf8)
    }
}
