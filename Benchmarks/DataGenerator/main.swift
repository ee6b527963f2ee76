// Placeholder: the benchmark dataset generator (make bench-api) is built here.
print("bench-data")
