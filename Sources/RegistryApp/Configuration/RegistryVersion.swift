/// The version of this build, used for the default `SERVER_AGENT` (`registry/<version>`).
public enum RegistryVersion {
    public static let current = "0.1.0"
}
