import ArgumentParser
import Foundation

/// `latchkey doctor --remote URL`: the checks over what `RemoteProbe` observed, the client
/// verdicts, and their rendering.
enum RemoteDoctor {
  /// Every finding, in the order a client meets them. Pure.
  static func findings(_ observations: RemoteObservations, now: Date) -> [DoctorFinding] {
    var findings = ResourceChecks.challenge(observations.challenge)
    findings += ResourceChecks.metadataLocations(
      pathInserted: observations.pathInsertedMetadata, root: observations.rootMetadata,
      named: observations.challengeMetadata)
    let resourceMetadata = observations.protectedResourceMetadata?.document
    if let resourceMetadata {
      findings += ResourceChecks.metadataDocument(resourceMetadata)
      findings += ResourceChecks.resource(
        resourceMetadata.string("resource"), target: observations.target)
    }
    let issuer = observations.authorizationServer
    findings += AuthorizationServerChecks.discovery(
      observations.authorizationServerDiscovery, issuer: issuer)
    let metadata = observations.authorizationServerMetadata?.document
    if let metadata {
      findings += AuthorizationServerChecks.issuer(metadata.string("issuer"), expected: issuer)
      findings += AuthorizationServerChecks.authorizationCode(metadata)
      findings += AuthorizationServerChecks.registration(metadata)
    }
    for check in observations.crossOrigin {
      findings += CrossOriginChecks.check(check, origin: observations.origin)
    }
    var documents: [(source: String, document: MetadataDocument)] = []
    if let resourceMetadata { documents.append(("the resource metadata", resourceMetadata)) }
    if let metadata { documents.append(("the AS metadata", metadata)) }
    findings += TransportChecks.transportSecurity(
      target: observations.target, documents: documents,
      challengeMetadata: observations.challengeParameters?["resource_metadata"])
    findings += TransportChecks.clockSkew(dateHeader: observations.dateHeaders.first, now: now)
    return findings
  }

  /// Probes `target`, prints the report, exits 1 when a check found a problem.
  static func run(target: URL, origin: String, json: Bool, context: CommandContext) async throws {
    let probe = RemoteProbe(target: target, origin: origin, transport: RemoteTransports.current)
    let observations = await probe.observe()
    let findings = findings(observations, now: context.clock.now())
    let verdicts = ClientVerdicts.verdicts(RemoteFacts(observations, findings: findings))
    let problems = findings.count(.problem)
    let warnings = findings.count(.warning)
    if json {
      context.console.write(
        JSONValue.object([
          "url": .string(target.absoluteString), "findings": .array(findings.map(\.json)),
          "clients": .array(verdicts.map(verdictJSON)), "problems": JSONValue(problems),
          "warnings": JSONValue(warnings),
        ]).rendered())
    } else {
      context.console.write(findings.table)
      context.console.write("")
      var clients = Table(["CLIENT", "VERDICT", "REASON", "FIX"])
      for verdict in verdicts {
        clients.append(
          [
            verdict.client, verdict.ok ? "✓" : "✗", verdict.unmet.first?.reason ?? "",
            verdict.unmet.first?.fix ?? "",
          ])
      }
      // An empty last column would leave the padding of the one before it.
      context.console.write(
        clients.rendered().split(separator: "\n", omittingEmptySubsequences: false)
          .map { $0.replacing(/\s+$/, with: "") }.joined(separator: "\n"))
      let connecting = verdicts.filter(\.ok).count
      context.console.write(
        "\(problems) problem(s), \(warnings) warning(s); "
          + "\(connecting) of \(verdicts.count) clients can connect")
    }
    if problems > 0 {
      context.console.writeError("error: doctor found \(problems) problem(s).")
      throw ExitCode.failure
    }
  }

  private static func verdictJSON(_ verdict: ClientVerdict) -> JSONValue {
    .object([
      "client": .string(verdict.client), "ok": .bool(verdict.ok),
      "unmet": .array(
        verdict.unmet.map {
          .object([
            "requirement": .string($0.rawValue), "reason": .string($0.reason),
            "fix": .string($0.fix),
          ])
        }),
    ])
  }

  /// The URL argument: absolute http(s) with a host.
  static func target(_ text: String) -> URL? {
    guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
      scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty,
      url.fragment == nil
    else { return nil }
    return url
  }
}
