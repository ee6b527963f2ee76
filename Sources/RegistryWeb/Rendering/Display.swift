import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// How values are written on pages (html.md WEB-25).
enum Display {
    /// `<time datetime="<API format>">YYYY-MM-DD HH:MM:SS UTC</time>`, through the `time` partial.
    static func time(_ timestamp: Timestamp?) -> [String: Any]? {
        guard let timestamp else { return nil }
        return ["iso": timestamp.apiString, "text": timestamp.htmlString]
    }

    /// Binary units with one decimal (`1.5 GiB`); plain bytes below 1 KiB.
    static func size(_ bytes: Int64) -> String {
        guard bytes >= 1024 else { return "\(bytes) B" }
        let units = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = Double(bytes) / 1024
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        var tenths = Int((value * 10).rounded())
        if tenths >= 10240 && unit < units.count - 1 {
            // 1,048,575 bytes is 1023.999 KiB, which rounds to 1024.0: that is 1.0 MiB.
            tenths = 10
            unit += 1
        }
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }

    /// Exact bytes for detail pages (WEB-25): `1610612736 bytes`, plain digits, so the number reads
    /// (and can be searched for and copied) exactly as the API's `size` / `file_size`.
    static func exactBytes(_ bytes: Int64) -> String {
        "\(bytes) bytes"
    }

    /// `1234567` → `1,234,567`.
    static func grouped(_ number: Int64) -> String {
        let digits = String(number.magnitude)
        var output = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { output.append(",") }
            output.append(character)
        }
        return number < 0 ? "-" + output : output
    }

    /// Object and file states as words (the codes are `A`/`D`, DOM-31).
    static func state(_ code: String) -> String {
        switch code {
        case "A": "Active"
        case "D": "Deleted"
        default: code
        }
    }

    /// DOM-37: `Failed` and `Failure` are both shown as failures.
    static func isFailure(_ outcome: String?) -> Bool {
        outcome == "Failed" || outcome == "Failure"
    }
}
