/// Why the upstream gave no response head. None of these reaches the client in detail: the
/// proxy answers 502 (or 504 for `timedOut`) with a fixed JSON-RPC error body.
public enum UpstreamError: Error, Sendable, Equatable {
  /// The TCP connection could not be made.
  case unreachable
  /// The connection closed before a response head arrived.
  case closedBeforeResponse
  /// No response head within the configured time.
  case timedOut
}
