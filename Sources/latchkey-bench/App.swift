import Foundation

/// `latchkey-bench <suite>`: micro-benchmarks printed as one JSON object per line on stdout,
/// consumed by scripts/bench which also runs the peers (openssl speed, …) and writes
/// docs/benchmarks.md.
@main
enum BenchApp {
  static func main() async throws {
    let suites = Array(CommandLine.arguments.dropFirst())
    let selected = suites.isEmpty ? ["jose", "store", "mcp"] : suites
    for suite in selected {
      switch suite {
      case "jose": try JOSEBenchmark.run()
      case "store": try await StoreBenchmark.run()
      case "mcp": try await MCPBenchmark.run()
      default:
        FileHandle.standardError.write(Data("unknown suite \(suite)\n".utf8))
        exit(2)
      }
    }
  }
}
