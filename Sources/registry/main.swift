// Placeholder entry point; the CLI lands with the foundation work.
print("registry")
