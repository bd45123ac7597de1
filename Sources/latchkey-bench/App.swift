import Foundation

/// `latchkey-bench <suite>…`: micro-benchmarks printed as one JSON object per line on stdout,
/// consumed by scripts/bench which also runs the peers (openssl speed, …) and writes
/// docs/benchmarks.md. `latchkey-bench seed …` and `latchkey-bench serve-notes …` / `serve-hello …` are the
/// helpers of scripts/bench's HTTP benchmarks (see SeedCommand and NotesServerCommand).
@main
enum BenchApp {
  static func main() async throws {
    let arguments = Array(CommandLine.arguments.dropFirst())
    do {
      switch arguments.first {
      case "seed": return try await SeedCommand.run(Array(arguments.dropFirst()))
      case "serve-notes": return try await NotesServerCommand.run(Array(arguments.dropFirst()))
      case "serve-hello": return try await HelloServerCommand.run(Array(arguments.dropFirst()))
      default: break
      }
    } catch {
      FileHandle.standardError.write(Data("latchkey-bench: \(error)\n".utf8))
      exit(1)
    }
    let selected = arguments.isEmpty ? ["jose", "store", "mcp"] : arguments
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
