import RegistryApp
import Testing

/// URLs, host names and text settings of OPS-1, and redaction (OPS-3).
@Suite("Configuration values and redaction (OPS-2, OPS-3, WEB-5)")
struct ConfigurationValueTests {
    private func load(_ environment: [String: String]) throws(ConfigurationError) -> RegistryConfiguration {
        try RegistryConfiguration.load(from: environment)
    }

    private func error(_ environment: [String: String]) -> ConfigurationError? {
        do {
            _ = try load(environment)
            return nil
        } catch {
            return error
        }
    }

    // MARK: Database URLs

    @Test("DATABASE_URL parses into its parts and is kept exactly as given")
    func databaseURLParts() throws {
        let text = "postgres://reg%40user:p%40ss:word@db.example.org:5433/registry%20db?sslmode=require&application_name=reg"
        let url = try #require(try load(["DATABASE_URL": text]).databaseURL)
        #expect(url.string == text)
        #expect(url.scheme == "postgres")
        #expect(url.user == "reg@user")
        #expect(url.password == "p@ss:word")
        #expect(url.hosts == [DatabaseURL.Host(name: "db.example.org", port: 5433)])
        #expect(url.host == "db.example.org")
        #expect(url.port == 5433)
        #expect(url.database == "registry db")
        #expect(url.parameters == [
            DatabaseURL.Parameter(name: "sslmode", value: "require"),
            DatabaseURL.Parameter(name: "application_name", value: "reg"),
        ])
    }

    @Test("DATABASE_URL forms libpq accepts")
    func databaseURLForms() throws {
        let socket = try DatabaseURL(parsing: "postgresql://%2Fvar%2Frun%2Fpostgresql/registry")
        #expect(socket.scheme == "postgresql")
        #expect(socket.host == "/var/run/postgresql")
        #expect(socket.port == nil)
        #expect(socket.user == nil && socket.password == nil)

        let noHost = try DatabaseURL(parsing: "postgresql:///registry?host=/tmp")
        #expect(noHost.hosts.isEmpty)
        #expect(noHost.database == "registry")
        #expect(noHost.parameters == [DatabaseURL.Parameter(name: "host", value: "/tmp")])

        let ipv6 = try DatabaseURL(parsing: "postgres://[::1]:5432/db")
        #expect(ipv6.hosts == [DatabaseURL.Host(name: "::1", port: 5432)])

        let several = try DatabaseURL(parsing: "postgres://u@h1:5432,h2/db")
        #expect(several.hosts == [DatabaseURL.Host(name: "h1", port: 5432), DatabaseURL.Host(name: "h2", port: nil)])
        #expect(several.user == "u" && several.password == nil)

        let bare = try DatabaseURL(parsing: "postgres://")
        #expect(bare.hosts.isEmpty && bare.database == nil && bare.parameters.isEmpty)

        let emptyPassword = try DatabaseURL(parsing: "postgres://u:@h/db")
        #expect(emptyPassword.password == "")
        #expect(emptyPassword.redacted == "postgres://u:[redacted]@h/db")
    }

    static let badDatabaseURLs: [String] = [
        "mysql://u:secretpw@h/db",
        "http://h/db",
        "postgres:/h/db",
        "POSTGRES://h/db",
        "h:5432/db",
        "postgres://u:secretpw@h:0/db",
        "postgres://u:secretpw@h:65536/db",
        "postgres://u:secretpw@h:54x/db",
        "postgres://u:secretpw@h:/db",
        "postgres://u:secretpw@[::1/db",
        "postgres://u:secretpw@[::1]x/db",
        "postgres://u:secretpw@[zz]/db",
        "postgres://u:secret%zzpw@h/db",
        "postgres://u:secretpw@h/db%00",
        "postgres://u:secretpw@h/db?sslmode",
        "postgres://u:secretpw@h/db?=require",
        "postgres://u:secretpw@h/db?sslmode=require&&x=y",
    ]

    @Test("OPS-2: a malformed database URL fails naming the variable, never quoting the value (OPS-3)", arguments: badDatabaseURLs)
    func badDatabaseURL(_ text: String) {
        for name in ["DATABASE_URL", "DATABASE_READ_URL"] {
            let failure = error([name: text])
            #expect(failure?.variable == name)
            #expect(failure?.problem.hasPrefix("must be a valid postgres:// or postgresql:// URL, but it ") == true)
            #expect(failure?.description.contains("secret") == false)
        }
    }

    @Test("DATABASE_READ_URL is parsed like DATABASE_URL")
    func readURL() throws {
        let config = try load(["DATABASE_URL": "postgres://a/x", "DATABASE_READ_URL": "postgres://replica:5432/x"])
        #expect(config.databaseReadURL?.host == "replica")
        #expect(config.usesEmbeddedDatabase == false)
    }

    // MARK: PUBLIC_BASE_URL and cookies

    @Test("PUBLIC_BASE_URL: absolute http(s), normalized without trailing / and with a lower-case scheme")
    func publicBaseURL() throws {
        let cases: [(String, String)] = [
            ("https://registry.example.org", "https://registry.example.org"),
            ("https://registry.example.org/", "https://registry.example.org"),
            ("http://localhost:8080", "http://localhost:8080"),
            ("HTTPS://Registry.example.org/base/", "https://Registry.example.org/base"),
            ("http://[::1]:8080/", "http://[::1]:8080"),
            ("http://10.0.0.5", "http://10.0.0.5"),
        ]
        for (given, stored) in cases {
            #expect(try load(["PUBLIC_BASE_URL": given]).publicBaseURL == stored)
        }
    }

    static let badBaseURLs = [
        "ftp://registry.example.org", "registry.example.org", "/api", "https://", "https:///path",
        "https://x.org/?a=1", "https://x.org/#top", "https://user:pw@x.org", "https://x.org:0",
        "https://x.org:70000", "https://x.org:", "https://exa mple.org", "https://x..org", "https://[::1",
        "https://[nothex]/", "https://exämple.org",
    ]

    @Test("PUBLIC_BASE_URL: anything else fails naming the variable", arguments: badBaseURLs)
    func badPublicBaseURL(_ text: String) {
        let failure = error(["PUBLIC_BASE_URL": text])
        #expect(failure?.description
                == "PUBLIC_BASE_URL: must be an absolute http:// or https:// URL without user info, query or fragment, got \(String(reflecting: text))")
    }

    @Test("WEB-5: Secure cookies when the base URL is https or COOKIE_SECURE=true")
    func cookieSecure() throws {
        #expect(try load(["PUBLIC_BASE_URL": "https://r.example.org"]).cookieSecure)
        #expect(try load(["PUBLIC_BASE_URL": "HTTPS://r.example.org"]).cookieSecure)
        #expect(try !load(["PUBLIC_BASE_URL": "http://r.example.org"]).cookieSecure)
        #expect(try !load([:]).cookieSecure)
        #expect(try load(["COOKIE_SECURE": "true"]).cookieSecure)
        #expect(try load(["COOKIE_SECURE": "true", "PUBLIC_BASE_URL": "http://r.example.org"]).cookieSecure)
        #expect(try !load(["COOKIE_SECURE": "false", "PUBLIC_BASE_URL": "http://r.example.org"]).cookieSecure)
        #expect(try load(["COOKIE_SECURE": "false", "PUBLIC_BASE_URL": "https://r.example.org"]).cookieSecure,
                "WEB-5 joins the conditions with 'or'")
    }

    // MARK: Text settings

    @Test("HOST: IP addresses and host names")
    func host() throws {
        for good in ["0.0.0.0", "127.0.0.1", "::", "::1", "fe80::1", "localhost", "registry-1.internal"] {
            #expect(try load(["HOST": good]).host == good)
        }
        for bad in ["256.1.1.1", "1.2.3", "local host", "-bad", "a..b", ":::", "[::1]", "host:80"] {
            #expect(error(["HOST": bad])?.description == "HOST: must be an IPv4 or IPv6 address or a host name, got \(String(reflecting: bad))")
        }
    }

    @Test("OPS_EMAIL, bucket prefixes, SERVER_AGENT and directories")
    func textSettings() throws {
        let config = try load([
            "OPS_EMAIL": "ops@aptrust.org",
            "RECEIVING_BUCKET_PREFIX": "test.receiving-",
            "RESTORE_BUCKET_PREFIX": "test.restore.",
            "SERVER_AGENT": "registry/0.1.0 (test)",
            "REGISTRY_DATA_DIR": "/var/lib/registry",
            "PG_BIN_DIR": "/usr/lib/postgresql/15/bin",
            "MIGRATIONS_DIR": "./migrations",
        ])
        #expect(config.opsEmail == "ops@aptrust.org")
        #expect(config.receivingBucketPrefix == "test.receiving-")
        #expect(config.restoreBucketPrefix == "test.restore.")
        #expect(config.serverAgent == "registry/0.1.0 (test)")
        #expect(config.dataDirectory == "/var/lib/registry")
        #expect(config.postgresBinDirectory == "/usr/lib/postgresql/15/bin")
        #expect(config.migrationsDirectory == "./migrations")

        #expect(error(["OPS_EMAIL": "ops"])?.description == #"OPS_EMAIL: must be an e-mail address (local@domain), got "ops""#)
        #expect(error(["OPS_EMAIL": "a b@x.org"])?.variable == "OPS_EMAIL")
        #expect(error(["OPS_EMAIL": "a@b@x.org"])?.variable == "OPS_EMAIL")
        #expect(error(["RECEIVING_BUCKET_PREFIX": "Upper."])?.variable == "RECEIVING_BUCKET_PREFIX")
        #expect(error(["RESTORE_BUCKET_PREFIX": "a_b."])?.variable == "RESTORE_BUCKET_PREFIX")
        #expect(error(["SERVER_AGENT": "agent\nx"])?.description == #"SERVER_AGENT: must not contain control characters, got "agent\nx""#)
        #expect(error(["REGISTRY_DATA_DIR": ""])?.description == "REGISTRY_DATA_DIR: must not be empty")
        // OPS-10: an empty DATABASE_URL is an unset one (the embedded cluster), and so for the replica.
        let empty = try load(["DATABASE_URL": "", "DATABASE_READ_URL": ""])
        #expect(empty.databaseURL == nil)
        #expect(empty.databaseReadURL == nil)
    }

    // MARK: OPS-3 redaction

    @Test("OPS-3: the summary lists every setting in OPS-1 order with secrets redacted")
    func redactedSummary() throws {
        let config = try load([
            "DATABASE_URL": "postgres://registry:s3cretpw@db.example.org:5432/registry?sslmode=require",
            "DATABASE_READ_URL": "postgresql://reader@replica/registry?password=an0therpw&sslmode=verify-full",
            "METRICS_TOKEN": "t0kenvalue",
            "PORT": "9090",
        ])
        let summary = config.redactedSummary()
        #expect(summary.map(\.0) == RegistryConfiguration.variableNames)
        let values = Dictionary(uniqueKeysWithValues: summary)
        #expect(values["DATABASE_URL"] == "postgres://registry:[redacted]@db.example.org:5432/registry?sslmode=require")
        #expect(values["DATABASE_READ_URL"] == "postgresql://reader@replica/registry?password=[redacted]&sslmode=verify-full")
        #expect(values["METRICS_TOKEN"] == "[redacted]")
        #expect(values["PORT"] == "9090")
        #expect(values["COOKIE_SECURE"] == "auto (false)")
        #expect(values["SERVER_AGENT"] == "registry/0.1.0")

        let renderings = [
            summary.map { "\($0.0)=\($0.1)" }.joined(separator: " "),
            "\(config)",
            String(describing: config),
            String(reflecting: config),
            "\(config.databaseURL!)",
            String(reflecting: config.databaseURL!),
        ]
        for text in renderings {
            for secret in ["s3cretpw", "an0therpw", "t0kenvalue"] {
                #expect(!text.contains(secret), "\(secret) leaked")
            }
        }
    }

    @Test("OPS-3: unset secrets read unset, and URLs without a password are shown whole")
    func summaryWithoutSecrets() throws {
        let values = Dictionary(uniqueKeysWithValues: try load(["DATABASE_URL": "postgres://registry@db/registry"]).redactedSummary())
        #expect(values["DATABASE_URL"] == "postgres://registry@db/registry")
        #expect(values["METRICS_TOKEN"] == "unset")
        #expect(values["DATABASE_READ_URL"] == "unset")
    }

    @Test("OPS-3: a bad METRICS_TOKEN is reported without its value")
    func badMetricsToken() {
        let failure = error(["METRICS_TOKEN": "s3cret token"])
        #expect(failure?.description == "METRICS_TOKEN: must contain only visible ASCII characters (no spaces)")
    }
}
