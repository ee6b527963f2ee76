// Placeholder until the target has real tests.
