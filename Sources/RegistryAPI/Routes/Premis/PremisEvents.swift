import Postgres

/// The events and agents of the PREMIS export (auditor.md AUD-23, AUD-24), in the element order of
/// the PREMIS 3.0 `eventComplexType` and `agentComplexType` sequences.
enum PremisEvents {
    static let batchSize = 1000

    /// Every event of the object (object- and file-level) by `date_time`, then `id`.
    static func writeEvents(objectID: Int64, on connection: PGConnection, deadline: ExportDeadline,
                            into xml: inout PremisXML) throws {
        try connection.stream(PremisQueries.events(objectID), batchSize: batchSize) { events in
            try deadline.check()
            for row in 0..<events.rowCount {
                writeEvent(events, row, into: &xml)
                try xml.flushIfLarge()
            }
        }
    }

    /// One `PremisQueries.events` row: identifier 0, event_type 1, date_time 2, detail 3, outcome 4,
    /// outcome_detail 5, outcome_information 6, agent 7, object 8, generic_file_identifier 9,
    /// intellectual_object_identifier 10.
    private static func writeEvent(_ events: PGResult, _ row: Int, into xml: inout PremisXML) {
        xml.open("event", 1)
        xml.identifier("eventIdentifier", 2, typeName: "eventIdentifierType", type: "UUID",
                       valueName: "eventIdentifierValue", events, row, 0)
        var typeAttributes: [PremisXML.Attribute] = [
            ("authority", "eventType"), ("authorityURI", PremisVocabulary.eventTypeAuthorityURI),
        ]
        if let uri = PremisVocabulary.eventTypeURI(events, row, 1) { typeAttributes.append(("valueURI", uri)) }
        xml.leaf("eventType", 2, events, row, 1, typeAttributes)
        xml.timestampLeaf("eventDateTime", 2, events, row, 2)
        xml.open("eventDetailInformation", 2)
        xml.leaf("eventDetail", 3, events, row, 3)
        xml.close("eventDetailInformation", 2)

        // Exactly one eventOutcomeInformation with one or two eventOutcomeDetail, in that order.
        xml.open("eventOutcomeInformation", 2)
        xml.leaf("eventOutcome", 3, events, row, 4, [("valueURI", PremisVocabulary.outcomeURI(events, row, 4))])
        for column in [5, 6] where !events.isNull(row, column) {
            xml.open("eventOutcomeDetail", 3)
            xml.leaf("eventOutcomeDetailNote", 4, events, row, column)
            xml.close("eventOutcomeDetail", 3)
        }
        xml.close("eventOutcomeInformation", 2)

        writeLinkingAgent(events, row, 7, role: "executing program", roleURI: PremisVocabulary.executingProgramURI,
                          into: &xml)
        writeLinkingAgent(events, row, 8, role: "tool", roleURI: nil, into: &xml)
        if !events.isNull(row, 9) {
            writeLinkingObject(events, row, 9, type: "registry file identifier", into: &xml)
        }
        writeLinkingObject(events, row, 10, type: "registry object identifier", into: &xml)
        xml.close("event", 1)
    }

    private static func writeLinkingAgent(_ events: PGResult, _ row: Int, _ column: Int, role: StaticString,
                                          roleURI: StaticString?, into xml: inout PremisXML) {
        xml.open("linkingAgentIdentifier", 2)
        xml.leaf("linkingAgentIdentifierType", 3, constant: "registry agent")
        xml.leaf("linkingAgentIdentifierValue", 3, events, row, column)
        if let roleURI {
            xml.leaf("linkingAgentRole", 3, constant: role, [("valueURI", roleURI)])
        } else {
            xml.leaf("linkingAgentRole", 3, constant: role)
        }
        xml.close("linkingAgentIdentifier", 2)
    }

    private static func writeLinkingObject(_ events: PGResult, _ row: Int, _ column: Int, type: StaticString,
                                           into xml: inout PremisXML) {
        xml.identifier("linkingObjectIdentifier", 2, typeName: "linkingObjectIdentifierType", type: type,
                       valueName: "linkingObjectIdentifierValue", events, row, column)
    }

    /// One agent per distinct `agent` or `object` string, in UTF-8 byte order (the query's order).
    static func writeAgents(objectID: Int64, on connection: PGConnection, deadline: ExportDeadline,
                            into xml: inout PremisXML) throws {
        try connection.stream(PremisQueries.agents(objectID), batchSize: batchSize) { agents in
            try deadline.check()
            for row in 0..<agents.rowCount {
                xml.open("agent", 1)
                xml.identifier("agentIdentifier", 2, typeName: "agentIdentifierType", type: "registry agent",
                               valueName: "agentIdentifierValue", agents, row, 0)
                xml.leaf("agentName", 2, agents, row, 0)
                xml.leaf("agentType", 2, constant: "software")
                xml.close("agent", 1)
                try xml.flushIfLarge()
            }
        }
    }
}
