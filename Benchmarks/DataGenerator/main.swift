// bench-data: loads the `make bench-api` dataset (issue 3) into a database that `registry migrate`
// has prepared: 260,000 objects (200,000 of them in big.edu), about 2.1 million files, 4.2 million
// checksums, 6.8 million PREMIS events with valid hash chains, 200,000 work items, 10 API keys in
// use and 9,990 spare ones. Uses DATABASE_URL, or the embedded cluster of REGISTRY_DATA_DIR.
// Restartable: when the marker table `bench_dataset` exists it only reports the dataset.
import Foundation

/// Loads (or reports) the dataset; returns the exit status.
func loadDataset(_ database: BenchDatabase) throws -> Int32 {
    if try database.exists("bench_dataset") {
        try DatasetReport.printExisting(database)
        return 0
    }
    guard try database.exists("premis_events") else {
        FileHandle.standardError.write(Data("bench-data: the schema is missing; run `registry migrate` first\n".utf8))
        return 1
    }
    guard try database.count("SELECT count(*) FROM intellectual_objects") == 0 else {
        FileHandle.standardError.write(Data("bench-data: refusing to load into a database that already holds objects\n".utf8))
        return 1
    }
    say("loading the benchmark dataset (version \(DatasetPlan.version), scale \(DatasetPlan.scale))")
    let started = LoadClock.now()
    let counts = try DatasetLoad(database: database).run()
    say("load committed: \(LoadClock.seconds(since: started))")
    let vacuumStarted = LoadClock.now()
    try DatasetReport.vacuumAnalyze(database)
    say("VACUUM ANALYZE: \(LoadClock.seconds(since: vacuumStarted))")
    say("dataset ready: \(counts.objects) objects, \(counts.files) files, \(counts.checksums) checksums, "
          + "\(counts.events) events, \(counts.storageRecords) storage records, \(counts.workItems) work items")
    say("load time: \(LoadClock.seconds(since: started))")
    return 0
}

var status: Int32 = 1
do {
    let database = try BenchDatabase(environment: ProcessInfo.processInfo.environment)
    do {
        status = try loadDataset(database)
    } catch {
        FileHandle.standardError.write(Data("bench-data: \(error)\n".utf8))
    }
    // Stops the embedded cluster if this process started it.
    database.close()
} catch {
    FileHandle.standardError.write(Data("bench-data: \(error)\n".utf8))
}
exit(status)
