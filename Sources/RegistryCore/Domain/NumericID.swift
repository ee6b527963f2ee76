/// DOM-16: numeric ids in paths and parameters are plain decimal digits that fit Int64.
public enum NumericID {
    public static func parse(_ text: some StringProtocol) -> Int64? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int64(text)
    }
}
