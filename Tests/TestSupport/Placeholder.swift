// Placeholder until the module has real sources.
