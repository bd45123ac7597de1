import Mustache
import Synchronization

/// The mustache templates of the login, consent and error pages.
///
/// The built-in templates are compiled into the binary so `latchkey serve` works alone; a
/// `template_directory` may override any of them (`login.mustache`, `consent.mustache`,
/// `error.mustache`, `style.mustache`) by name.
final class PageLibrary: Sendable {
  enum Name: String, CaseIterable {
    case login, consent, error, style
  }

  private let library: Mutex<MustacheLibrary>

  init() {
    var library = MustacheLibrary()
    for name in Name.allCases {
      // The built-in templates are constants the tests render; a template that fails to parse
      // stays unregistered and renders as the plain fallback below.
      try? library.register(Self.builtIn(name), named: name.rawValue)
    }
    self.library = Mutex(library)
  }

  static let fallback = "<!DOCTYPE html><title>Latchkey</title><p>This page is unavailable.</p>"

  static func builtIn(_ name: Name) -> String {
    switch name {
    case .login: LoginPageTemplate.template
    case .consent: ConsentPageTemplate.template
    case .error: ErrorPageTemplate.template
    case .style: PageStyle.template
    }
  }

  /// Replaces built-in templates by the ones found in `directory`.
  func loadOverrides(from directory: String?) async throws {
    guard let directory else { return }
    let overrides = try await MustacheLibrary(directory: directory)
    library.withLock { library in
      for name in Name.allCases {
        if let template = overrides.getTemplate(named: name.rawValue) {
          library.register(template, named: name.rawValue)
        }
      }
    }
  }

  func render(_ name: Name, _ values: [String: Any]) -> String {
    let library = library.withLock { $0 }
    return library.render(values, withTemplate: name.rawValue) ?? Self.fallback
  }
}
