import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Answers redirects to the caller instead of following them: an OAuth client reads the
/// authorization response from the `Location` of the redirect to its own redirect URI.
final class RedirectRefusal: NSObject, URLSessionTaskDelegate, Sendable {
  func urlSession(
    _ session: URLSession, task: URLSessionTask,
    willPerformHTTPRedirection response: HTTPURLResponse,
    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
  ) {
    completionHandler(nil)
  }
}
